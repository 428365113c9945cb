//! The policy picked in the toolbar, as a value the user edits; it becomes a `PolicyConfig`.
//! The policies, their options and defaults come from sim-core's policy table
//! (`scenario::policies::POLICIES`): the GUI declares none of its own.

use sim_core::scenario::PolicyConfig;
use sim_core::scenario::PolicyOptions;
use sim_core::scenario::policies::{self, OptionDefault, PolicySpec};

/// A policy and the options the user has set (kept across policies, so that switching to
/// round robin and back keeps each one's settings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyChoice {
    /// The policy's name in the table.
    pub kind: &'static str,
    pub options: PolicyOptions,
    /// Optional options (default "none") the user switched off, e.g. priority's quantum.
    pub off: Vec<&'static str>,
}

impl PolicyChoice {
    pub fn of(config: &PolicyConfig) -> PolicyChoice {
        let spec = config.spec();
        let mut options = config.options();
        let off = spec
            .options
            .iter()
            .filter(|o| o.default == OptionDefault::Unset && options.number(o.name).is_none())
            .map(|o| o.name)
            .collect();
        // A policy without a quantum of its own starts others at 4 ticks when switched to,
        // and the multilevel queue at the textbook's two queues.
        if options.quantum.is_none() {
            options.quantum = Some(4);
        }
        if options.queues.is_none() {
            options.queues = Some(policies::example_mlq_queues());
        }
        PolicyChoice {
            kind: spec.name,
            options,
            off,
        }
    }

    /// The chosen policy's entry in the table.
    pub fn spec(&self) -> &'static PolicySpec {
        policies::policy_named(self.kind).expect("the choice is made from the table")
    }

    /// The configuration the choice stands for: only the chosen policy's options, with the
    /// table's defaults for those left unset. A policy whose optional quantum is switched off
    /// (priority without round robin) has it unset.
    pub fn config(&self) -> PolicyConfig {
        let spec = self.spec();
        let names: Vec<&str> = spec
            .options
            .iter()
            .map(|o| o.name)
            .filter(|name| !self.off.contains(name))
            .collect();
        let options = policies::options_for(spec, &self.options, &names);
        policies::validate(&options).unwrap_or_else(|_| {
            // Only an edited value can be out of range (a quantum of 0): fall back to defaults.
            let mut defaults = options.keeping(spec.name, &[]);
            defaults.quantum = Some(1).filter(|_| names.contains(&"quantum"));
            policies::validate(&defaults).unwrap_or(PolicyConfig::Fcfs(Default::default()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_policy_of_the_table_round_trips() {
        for spec in policies::POLICIES {
            let options = PolicyOptions {
                kind: spec.name.to_string(),
                quantum: Some(3),
                queues: Some(policies::example_mlq_queues()),
                ..PolicyOptions::default()
            };
            let config = policies::validate(&options.keeping(
                spec.name,
                &spec.options.iter().map(|o| o.name).collect::<Vec<_>>(),
            ))
            .unwrap();
            assert_eq!(PolicyChoice::of(&config).config(), config, "{}", spec.name);
        }
    }

    #[test]
    fn options_are_kept_across_policies() {
        let mut choice = PolicyChoice::of(&PolicyConfig::Rr { quantum_ticks: 7 });
        choice.kind = "fcfs";
        assert_eq!(choice.config(), PolicyConfig::Fcfs(Default::default()));
        choice.kind = "rr";
        assert_eq!(choice.config(), PolicyConfig::Rr { quantum_ticks: 7 });
        let priority = PolicyConfig::Priority {
            preemptive: true,
            quantum_ticks: None,
            aging: sim_core::scenario::Aging::PerPick(2),
            from_nice: false,
        };
        assert_eq!(PolicyChoice::of(&priority).config(), priority);
    }

    /// `slice` is MLFQ's word and EEVDF's number: one policy's value is not the other's.
    #[test]
    fn a_slice_of_one_form_is_not_carried_to_the_policy_of_the_other() {
        let eevdf = policies::parse_policy_list("eevdf:5").unwrap().remove(0);
        let mut choice = PolicyChoice::of(&eevdf);
        choice.options.boost = Some(40);
        choice.kind = "mlfq";
        match choice.config() {
            PolicyConfig::Mlfq(config) => {
                assert!(!config.renew_each_dispatch);
                assert_eq!(config.boost_ticks, Some(40), "its other options are kept");
            }
            other => panic!("{other:?}"),
        }
        choice
            .options
            .set_word("slice", Some("renew_each_dispatch".into()));
        choice.kind = "eevdf";
        match choice.config() {
            PolicyConfig::Eevdf(config) => assert_eq!(config.slice_ticks, 3, "the default"),
            other => panic!("{other:?}"),
        }
    }
}
