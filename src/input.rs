//! Reading the files named on the command line without trusting them: only regular files are
//! read (devices, FIFOs and directories are refused before any byte is read), through a reader
//! that stops as soon as the size limit is passed, and `-` is standard input through the same
//! limit. Every error names the file.

use std::fs::Metadata;
use std::io::Read;
use std::path::Path;

/// The default of `--max-input-bytes`: 256 MiB, room for a million-process workload.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// Why a file could not be read, in words that name what it is.
pub fn kind_of(metadata: &Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = metadata.file_type();
    if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

/// The text of `path` (`-`: standard input), at most `limit` bytes of UTF-8. The error says
/// what is wrong without the file's name, for callers that put it first.
pub fn read_text(path: &Path, limit: u64) -> Result<String, String> {
    if path.as_os_str() == "-" {
        return read_limited(std::io::stdin().lock(), limit);
    }
    let metadata = std::fs::metadata(path).map_err(|error| describe(&error))?;
    if !metadata.is_file() {
        return Err(format!("{} is not a regular file", kind_of(&metadata)));
    }
    if metadata.len() > limit {
        return Err(over_limit(metadata.len(), limit));
    }
    let file = std::fs::File::open(path).map_err(|error| describe(&error))?;
    read_limited(file, limit)
}

/// Reads at most `limit` bytes (one more tells that the limit is passed) as UTF-8.
fn read_limited(reader: impl Read, limit: u64) -> Result<String, String> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| describe(&error))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "the input is over the limit of {}",
            size_words(limit)
        ));
    }
    String::from_utf8(bytes).map_err(|error| {
        format!(
            "the file is not UTF-8 text (invalid byte at offset {})",
            error.utf8_error().valid_up_to()
        )
    })
}

fn over_limit(size: u64, limit: u64) -> String {
    format!(
        "the file is {size} bytes, over the limit of {}",
        size_words(limit)
    )
}

/// `1048576 bytes (1 MiB)`, or only the bytes when they are not whole mebibytes.
fn size_words(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes > 0 && bytes.is_multiple_of(MIB) {
        format!("{bytes} bytes ({} MiB)", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// An IO error without the OS's error number.
fn describe(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let text = error.to_string();
            match text.find(" (os error") {
                Some(cut) => text[..cut].to_string(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_directories_are_refused_before_reading() {
        let error = read_text(Path::new("/dev/zero"), 1024).unwrap_err();
        assert_eq!(error, "a character device is not a regular file");
        let error = read_text(Path::new("/"), 1024).unwrap_err();
        assert_eq!(error, "a directory is not a regular file");
        assert_eq!(
            read_text(Path::new("/no/such/file"), 1024).unwrap_err(),
            "no such file"
        );
    }

    #[test]
    fn the_limit_stops_the_read() {
        let endless = std::io::repeat(b'a');
        let error = read_limited(endless, 1024 * 1024).unwrap_err();
        assert!(
            error.contains("over the limit of 1048576 bytes (1 MiB)"),
            "{error}"
        );
        assert_eq!(read_limited(&b"abc"[..], 3).unwrap(), "abc");
    }
}
