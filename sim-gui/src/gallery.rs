//! The built-in scenarios: every file of the repository's scenarios/ folder, embedded at build
//! time, with the classroom demos first so that the app opens on one.

include!(concat!(env!("OUT_DIR"), "/gallery.rs"));

/// One embedded scenario.
#[derive(Clone, Copy, Debug)]
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
                .filter(|entry| sim_core::Scenario::from_yaml(entry.text).is_ok())
                .collect();
            entries.sort_by_key(|entry| (!entry.path.starts_with("classroom/"), entry.path));
            entries
        })
        .clone()
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
        assert!(first_demo().path.starts_with("classroom/"));
    }
}
