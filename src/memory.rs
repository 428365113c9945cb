//! The memory budget (`--max-memory`): every allocation of the process is counted, and one
//! that would take the heap past the budget ends the run with exit 3 and a message naming the
//! flag, instead of growing until the machine kills the process (exit 134, no message).
//!
//! This is the backstop behind the specific limits (events, processes, lines kept, ...): a
//! path that keeps more than it should still stops cleanly, at the same point every time,
//! since the count is of the bytes asked for, not of what the system happens to have mapped.

use std::alloc::{GlobalAlloc, Layout};
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

static IN_USE: AtomicUsize = AtomicUsize::new(0);
/// No limit until `set_limit`: clap and the start of `main` run before the flag is known.
static LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);
static STOPPING: AtomicBool = AtomicBool::new(false);
/// The file being worked on, for the message; swapped in whole so that the allocator never
/// waits for a lock its own thread holds.
static SUBJECT: Mutex<Option<String>> = Mutex::new(None);

/// An allocator that counts the bytes `inner` holds for the program and stops the program
/// past the budget.
pub struct Budgeted<A> {
    pub inner: A,
}

unsafe impl<A: GlobalAlloc> GlobalAlloc for Budgeted<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        unsafe { self.inner.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        unsafe { self.inner.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { self.inner.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            grow(new_size - layout.size());
        } else {
            IN_USE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { self.inner.realloc(ptr, layout, new_size) }
    }
}

fn grow(bytes: usize) {
    let now = IN_USE
        .fetch_add(bytes, Ordering::Relaxed)
        .saturating_add(bytes);
    if now > LIMIT.load(Ordering::Relaxed) {
        over_budget();
    }
}

/// mimalloc's `mi_option_arena_eager_commit` (its place in `mi_option_e`, mimalloc v3's
/// include/mimalloc.h; libmimalloc-sys 0.1.49 names no constant for it).
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Has mimalloc commit its arenas' memory as it is used rather than all at once (its default
/// on Linux, which overcommits): a classroom run then touches about 10 MB instead of 15, and
/// large runs are no slower (docs/performance.md). It must be set before the first arena is
/// made, at the program's first allocation, before `main`: see `COMMIT_ON_DEMAND`.
extern "C" fn commit_on_demand() {
    // SAFETY: setting an option is always allowed; it applies to arenas made from now on.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0) };
}

/// Runs `commit_on_demand` as the program is loaded, before the runtime allocates anything
/// (the loader calls the functions of this section before `main`). It takes precedence over
/// `MIMALLOC_ARENA_EAGER_COMMIT` in the environment.
#[used]
#[cfg_attr(
    any(target_os = "linux", target_os = "android", target_os = "freebsd"),
    unsafe(link_section = ".init_array")
)]
#[cfg_attr(
    target_vendor = "apple",
    unsafe(link_section = "__DATA,__mod_init_func")
)]
#[cfg_attr(windows, unsafe(link_section = ".CRT$XCU"))]
static COMMIT_ON_DEMAND: extern "C" fn() = commit_on_demand;

/// Sets the budget in bytes (the value of `--max-memory`).
pub fn set_limit(bytes: u64) {
    LIMIT.store(
        usize::try_from(bytes).unwrap_or(usize::MAX),
        Ordering::Relaxed,
    );
}

/// Names the file the following work is about (as messages name it: `<stdin>` for `-`), for
/// the message if the budget is passed.
pub fn working_on(origin: &str) {
    let name = sim_core::text::escape_controls(origin);
    let old = SUBJECT.lock().map(|mut subject| subject.replace(name));
    drop(old);
}

#[cold]
fn over_budget() -> ! {
    // Lift the limit first: writing the message allocates, and so may another thread.
    let limit = LIMIT.swap(usize::MAX, Ordering::Relaxed);
    if STOPPING.swap(true, Ordering::Relaxed) {
        // Another thread is already writing the message and ending the process.
        loop {
            std::thread::park();
        }
    }
    let subject = SUBJECT
        .try_lock()
        .ok()
        .and_then(|subject| subject.clone())
        .map(|name| format!("{name}: "))
        .unwrap_or_default();
    let message = format!(
        "Error: {subject}the work needs more memory than the budget of {} ({limit} bytes); \
         raise it with --max-memory BYTES (for example --max-memory 8G)\n",
        human_bytes(limit as u64)
    );
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().write_all(message.as_bytes());
    std::process::exit(3);
}

/// `2 GiB`, `512 MiB`, `1536 KiB` or `100 bytes`: the largest unit that divides the size.
pub fn human_bytes(bytes: u64) -> String {
    for (unit, size) in [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
        if bytes >= size && bytes.is_multiple_of(size) {
            return format!("{} {unit}", bytes / size);
        }
    }
    format!("{bytes} bytes")
}

/// Reads `--max-memory`'s value: a number of bytes, optionally with a unit — K, M, G, T (powers
/// of 1024, also written KiB, MiB, ...) or KB, MB, GB, TB (powers of 1000).
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (number, unit) = text.split_at(digits);
    let number: u64 = number.parse().map_err(|_| {
        format!("expected a number of bytes, optionally with a unit (512M, 2G, 8GiB), got {text:?}")
    })?;
    let scale: u64 = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KIB" => 1 << 10,
        "M" | "MIB" => 1 << 20,
        "G" | "GIB" => 1 << 30,
        "T" | "TIB" => 1 << 40,
        "KB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        "TB" => 1_000_000_000_000,
        other => {
            return Err(format!(
                "unknown unit {other:?}: expected B, K, M, G or T (KiB, MiB, GiB, TiB; KB, MB, GB, TB in powers of 1000)"
            ));
        }
    };
    let bytes = number
        .checked_mul(scale)
        .ok_or_else(|| format!("{text:?} is more bytes than 64 bits hold"))?;
    if bytes < MIN_MAX_MEMORY {
        return Err(format!(
            "expected at least {} (the program itself needs that much), got {text:?}",
            human_bytes(MIN_MAX_MEMORY)
        ));
    }
    Ok(bytes)
}

/// The smallest budget accepted: below it the program could not even read a small scenario.
pub const MIN_MAX_MEMORY: u64 = 1 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_with_units() {
        assert_eq!(parse_bytes("2147483648"), Ok(2 << 30));
        assert_eq!(parse_bytes("512M"), Ok(512 << 20));
        assert_eq!(parse_bytes("8GiB"), Ok(8 << 30));
        assert_eq!(parse_bytes("3 gb"), Ok(3_000_000_000));
        assert!(parse_bytes("1K").unwrap_err().contains("at least 1 MiB"));
        assert!(parse_bytes("2X").unwrap_err().contains("unknown unit"));
        assert!(parse_bytes("lots").unwrap_err().contains("number of bytes"));
        assert!(parse_bytes("99999999999T").unwrap_err().contains("64 bits"));
        assert_eq!(human_bytes(2 << 30), "2 GiB");
        assert_eq!(human_bytes(3 << 19), "1536 KiB");
        assert_eq!(human_bytes(1001), "1001 bytes");
    }

    #[test]
    fn arenas_are_committed_on_demand_from_before_main() {
        // Set by the loader through COMMIT_ON_DEMAND: this test binary never calls it.
        let eager = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_ARENA_EAGER_COMMIT) };
        assert_eq!(eager, 0);
    }
}
