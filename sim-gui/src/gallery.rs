//! The built-in scenarios: every file of the repository's scenarios/ folder, embedded at build
//! time, with the classroom demos first so that the app opens on one.

include!(concat!(env!("OUT_DIR"), "/gallery.rs"));

/// One embedded scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GalleryEntry {
    /// Path under scenarios/, e.g. `classroom/io-bound-rr.yaml`.
    pub path: &'static str,
    pub text: &'static str,
}

/// The gallery in display order: classroom demos, then the rest by path. Matrix exercises
/// (banker's and detection matrices) have nothing to animate and are left out.
pub fn entries() -> Vec<GalleryEntry> {
    static ENTRIES: std::sync::OnceLock<Vec<GalleryEntry>> = std::sync::OnceLock::new();
    ENTRIES
        .get_or_init(|| {
            let mut entries: Vec<GalleryEntry> = EMBEDDED
                .iter()
                .map(|&(path, text)| GalleryEntry { path, text })
                .filter(|entry| !is_matrix_exercise(entry.text))
                .collect();
            entries.sort_by_key(|entry| (!entry.path.starts_with("classroom/"), entry.path));
            entries
        })
        .clone()
}

/// Whether the file is a matrix exercise (nothing to animate). A broken scenario is not one:
/// it stays in the gallery, where it shows its error (and fails the gallery's test).
fn is_matrix_exercise(text: &str) -> bool {
    sim_core::exercise::Exercise::from_yaml(text).is_ok_and(|exercise| exercise.matrix().is_some())
}

/// A card of the gallery: what a teacher needs to pick a scenario at a glance.
#[derive(Clone, Debug)]
pub struct Card {
    pub entry: GalleryEntry,
    /// The folder under scenarios/ (textbook, classroom, mlfq, lifecycle, sync, grading, ...).
    pub folder: &'static str,
    pub title: String,
    pub description: String,
    pub cpus: usize,
    pub makespan: u64,
    /// The whole run's busy slices, for the card's small Gantt picture: (cpu, start, end, pid).
    pub preview: Vec<(usize, u64, u64, sim_core::Pid)>,
}

impl Card {
    /// Whether the card matches a search (in its path, title or description; any case).
    pub fn matches(&self, search: &str) -> bool {
        let search = search.trim().to_lowercase();
        search.is_empty()
            || [self.entry.path, &self.title, &self.description]
                .iter()
                .any(|text| text.to_lowercase().contains(&search))
    }
}

/// One card per built-in scenario, in gallery order, with its run computed once.
pub fn cards() -> &'static [Card] {
    static CARDS: std::sync::OnceLock<Vec<Card>> = std::sync::OnceLock::new();
    CARDS.get_or_init(|| {
        entries()
            .into_iter()
            .map(|entry| {
                let folder = entry.path.split('/').next().unwrap_or("");
                let scenario = sim_core::Scenario::from_yaml(entry.text).ok();
                let report = scenario.as_ref().map(|scenario| {
                    sim_core::report::run_streamed(scenario.clone(), crate::playback::MAX_EVENTS)
                });
                let (makespan, preview) = match report {
                    Some(Ok(report)) => (
                        report.makespan,
                        report
                            .gantt
                            .iter()
                            .filter_map(|s| Some((s.cpu.0, s.start.0, s.end.0, s.pid?)))
                            .collect(),
                    ),
                    _ => (0, Vec::new()),
                };
                Card {
                    entry,
                    folder,
                    title: scenario
                        .as_ref()
                        .map_or_else(|| entry.path.to_string(), |s| s.name.clone()),
                    description: scenario
                        .as_ref()
                        .and_then(|s| s.description.clone())
                        .unwrap_or_default(),
                    cpus: scenario.as_ref().map_or(1, |s| s.cpus),
                    makespan,
                    preview,
                }
            })
            .collect()
    })
}

/// The demo the app opens with when given no file.
pub fn first_demo() -> GalleryEntry {
    entries()[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_gallery_scenario_is_valid() {
        assert!(entries().len() >= 10);
        assert!(
            entries()
                .iter()
                .any(|e| e.path == "sync/two-locks-deadlock.yaml")
        );
        for entry in entries() {
            sim_core::Scenario::from_yaml(entry.text)
                .unwrap_or_else(|e| panic!("{}: {e}", entry.path));
        }
        // Only matrix exercises are left out: a broken scenario cannot vanish from the gallery.
        let matrices = EMBEDDED
            .iter()
            .filter(|(_, text)| is_matrix_exercise(text))
            .count();
        assert_eq!(entries().len() + matrices, EMBEDDED.len());
        assert!(first_demo().path.starts_with("classroom/"));
    }
}
