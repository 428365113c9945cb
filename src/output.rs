//! Writing the files a command makes (`grade --output`, `sweep --plot`, `compare --plot`)
//! without harming the ones it reads: the text goes to a new file beside the target, which
//! then takes the target's name — so a symbolic or hard link at the target is replaced, never
//! written through — and a target that is one of the command's inputs is refused.

use std::path::Path;

/// Whether `a` and `b` name the same existing file (through links too).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return a.dev() == b.dev() && a.ino() == b.ino();
        }
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// `Err` when `path` is (or links to) one of `inputs`: writing it would destroy an input.
pub fn not_an_input(path: &Path, inputs: &[&Path]) -> Result<(), String> {
    match inputs.iter().find(|input| same_file(path, input)) {
        Some(input) => Err(format!(
            "{} is {}, which this command reads: choose another file to write",
            path.display(),
            input.display()
        )),
        None => Ok(()),
    }
}

/// Writes `text` to `path`, refusing a `path` that is (or links to) one of `inputs`.
pub fn write_output(path: &Path, text: &str, inputs: &[&Path]) -> Result<(), String> {
    write_bytes(path, text.as_bytes(), inputs)
}

/// Writes `bytes` to `path` as [`write_output`] writes text.
pub fn write_bytes(path: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<(), String> {
    not_an_input(path, inputs)?;
    if path.is_dir() {
        return Err(format!("{} is a directory", path.display()));
    }
    let name = path
        .file_name()
        .ok_or_else(|| format!("{} names no file", path.display()))?;
    let mut temporary = name.to_os_string();
    temporary.push(format!(".procsim-{}.tmp", std::process::id()));
    let temporary = path.with_file_name(temporary);
    std::fs::write(&temporary, bytes)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|error| {
            let _ = std::fs::remove_file(&temporary);
            format!("cannot write {}: {error}", path.display())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_at_the_target_is_replaced_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let precious = dir.path().join("precious.yaml");
        std::fs::write(&precious, "keep me").unwrap();
        let hard = dir.path().join("hard.csv");
        std::fs::hard_link(&precious, &hard).unwrap();
        write_output(&hard, "grades", &[]).unwrap();
        assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
        assert_eq!(std::fs::read_to_string(&hard).unwrap(), "grades");
        #[cfg(unix)]
        {
            let soft = dir.path().join("soft.csv");
            std::os::unix::fs::symlink(&precious, &soft).unwrap();
            write_output(&soft, "grades", &[]).unwrap();
            assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
            assert!(!soft.is_symlink());
        }
    }

    #[test]
    fn an_input_is_never_the_output() {
        let dir = tempfile::tempdir().unwrap();
        let scenario = dir.path().join("s.yaml");
        std::fs::write(&scenario, "name: s").unwrap();
        let error = write_output(&scenario, "<svg/>", &[&scenario]).unwrap_err();
        assert!(error.contains("which this command reads"), "{error}");
        let alias = dir.path().join("alias.svg");
        std::fs::hard_link(&scenario, &alias).unwrap();
        assert!(write_output(&alias, "<svg/>", &[&scenario]).is_err());
        assert_eq!(std::fs::read_to_string(&scenario).unwrap(), "name: s");
    }
}
