//! Golden snapshots of every scenario's text report and trace. Refresh with
//! `INSTA_UPDATE=always cargo test` (or `cargo insta review`) after an intended change.

use crate::support::{load, run};
use sim_core::RunReport;
use sim_core::render;

#[test]
fn reports_and_traces_match_their_snapshots() {
    insta::glob!("../../../scenarios", "**/*.yaml", |path| {
        let simulator = run(load(path));
        let text = format!(
            "{}\n--- trace ---\n{}",
            render::report_text(&RunReport::of(&simulator)),
            render::trace_text(simulator.scenario(), simulator.roster(), simulator.log())
        );
        insta::assert_snapshot!(text);
    });
}
