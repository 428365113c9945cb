//! A hint to the processor's cache, the core's one `unsafe` block.
//!
//! A run of 100,000 processes meets a cold process control block at nearly every dispatch
//! when the policy picks in burst order (SJF, SRTF, priority, stride): asking for the next
//! pick's memory while the engine finishes the current instant hides most of that wait.

/// Asks the processor to bring `value`'s first cache line in now. A hint only: nothing is
/// read that the program sees, so results cannot change (elsewhere than x86-64: nothing).
#[inline]
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    #[allow(unsafe_code)]
    // SAFETY: a prefetch never faults and has no effect a program can observe; the address
    // comes from a live reference.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
