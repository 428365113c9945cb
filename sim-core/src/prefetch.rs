//! A hint to the processor's cache, the core's one `unsafe` block.
//!
//! A run of 100,000 processes meets a cold process control block at nearly every dispatch
//! when the policy picks in burst order (SJF, SRTF, priority, stride) or by waiting time
//! (HRRN), and cold program steps at every arrival, burst end and IO completion: asking for
//! that memory while the engine finishes the current instant hides most of the wait.

/// Asks the processor to bring `value`'s first cache line in now. A hint only: nothing is
/// read that the program sees, so results cannot change (elsewhere than x86-64: nothing).
#[inline]
pub(crate) fn prefetch<T>(value: &T) {
    prefetch_address((value as *const T).cast());
}

/// Asks for every cache line `values` spans (a value may straddle two).
#[inline]
pub(crate) fn prefetch_slice<T>(values: &[T]) {
    const LINE: usize = 64;
    let start: *const u8 = values.as_ptr().cast();
    let bytes = std::mem::size_of_val(values);
    if bytes == 0 {
        return;
    }
    // Every 64 bytes from the start reaches each line but maybe the last; the last byte
    // reaches that one.
    for offset in (0..bytes).step_by(LINE) {
        prefetch_address(start.wrapping_add(offset).cast());
    }
    prefetch_address(start.wrapping_add(bytes - 1).cast());
}

#[inline]
fn prefetch_address(address: *const i8) {
    #[cfg(target_arch = "x86_64")]
    #[allow(unsafe_code)]
    // SAFETY: a prefetch never faults and has no effect a program can observe, whatever the
    // address (callers pass addresses within, or at the line of, a live reference).
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(address);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = address;
}
