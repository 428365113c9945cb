//! The randomness in procsim: ChaCha8 seeded from the scenario's `seed`, with the seed
//! expansion and the draws done by fixed arithmetic here, so that the same seed gives the same
//! numbers on every machine and with every version of the `rand` crate (whose convenience
//! samplers may change between releases). ChaCha8's output stream itself is specified. Beside it,
//! `PythonRandom`, CPython's Mersenne Twister, for the draws of OSTEP's scripts (lottery's
//! `draw: ostep` and the `procsim ostep` translations).

mod python;

pub use python::PythonRandom;

use rand::rngs::ChaCha8Rng;
use rand::{Rng, SeedableRng};

/// SplitMix64's increment (the golden ratio in 64 bits).
pub const SPLITMIX_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function: a well-mixed 64-bit value of `state`.
pub fn splitmix_finish(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A seeded, portable source of random numbers.
#[derive(Debug)]
pub struct SeededRng {
    rng: ChaCha8Rng,
}

impl SeededRng {
    pub fn new(seed: u64) -> SeededRng {
        // SplitMix64 expands the 64-bit seed into ChaCha's 256-bit key.
        let mut state = seed;
        let mut key = [0u8; 32];
        for chunk in key.chunks_mut(8) {
            state = state.wrapping_add(SPLITMIX_GAMMA);
            chunk.copy_from_slice(&splitmix_finish(state).to_le_bytes());
        }
        SeededRng {
            rng: ChaCha8Rng::from_seed(key),
        }
    }

    /// The generator itself, for `rand_distr`'s samplers (exponential and normal workloads),
    /// which procsim uses without `std` math so that they compute alike everywhere.
    pub fn rng(&mut self) -> &mut ChaCha8Rng {
        &mut self.rng
    }

    pub fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// A number in `0..bound` (`bound` > 0), unbiased by rejection.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.below_after(None, bound)
    }

    /// `below`, its first candidate `drawn` when that was taken from this generator earlier
    /// (by a caller that looks at the next number ahead): the same numbers either way.
    pub fn below_after(&mut self, drawn: Option<u64>, bound: u64) -> u64 {
        assert!(bound > 0, "an empty range has no numbers");
        let mut raw = drawn.unwrap_or_else(|| self.next_u64());
        loop {
            if let Some(number) = SeededRng::reduce(raw, bound) {
                return number;
            }
            raw = self.next_u64();
        }
    }

    /// The number in `0..bound` (`bound` > 0) that `below` makes of the raw draw `raw`, or
    /// `None` when it throws `raw` away (the top of the range would favour low numbers).
    pub fn reduce(raw: u64, bound: u64) -> Option<u64> {
        let zone = u64::MAX - (u64::MAX % bound);
        (raw < zone).then(|| raw % bound)
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        let (low, high) = if low <= high {
            (low, high)
        } else {
            (high, low)
        };
        match (high - low).checked_add(1) {
            Some(span) => low + self.below(span),
            None => self.next_u64(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Golden values: if these change, every seeded problem changes. Never update them
    /// casually: students' exercises depend on them.
    #[test]
    fn the_stream_is_stable() {
        let mut rng = SeededRng::new(42);
        let draws: Vec<u64> = (0..5).map(|_| rng.below(1000)).collect();
        assert_eq!(draws, GOLDEN_42);
    }

    const GOLDEN_42: [u64; 5] = [756, 905, 207, 778, 177];

    /// Looking a number ahead (the lottery does) changes no draw, rejections included: half
    /// of all raw numbers are thrown away for a bound just over 2^63.
    #[test]
    fn a_number_drawn_ahead_gives_the_same_draws() {
        let mut plain = SeededRng::new(3);
        let mut ahead = SeededRng::new(3);
        let mut drawn = None;
        for bound in [10, 1 << 63 | 1, 7, 1 << 63 | 1, 1 << 63 | 1, 1_000_000].repeat(20) {
            let number = ahead.below_after(drawn, bound);
            drawn = Some(ahead.next_u64());
            assert_eq!(number, plain.below(bound), "{bound}");
        }
    }

    #[test]
    fn draws_stay_in_range() {
        let mut rng = SeededRng::new(7);
        let mut seen = [false; 3];
        for _ in 0..1000 {
            let draw = rng.between(3, 5);
            assert!((3..=5).contains(&draw), "{draw}");
            seen[(draw - 3) as usize] = true;
        }
        assert_eq!(seen, [true; 3], "every value of the range comes up");
    }
}
