//! CPython's `random` module, as far as OSTEP's homework scripts use it: `random.seed(int)` and
//! `random.random()`. A port of the Mersenne Twister (MT19937) with CPython's seeding by
//! `init_by_array` over the 32-bit words of |seed|, and its 53-bit float construction. The
//! golden tests below were taken from CPython 3.11.

const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

/// The generator behind Python's `random.random()`.
#[derive(Clone, Debug)]
pub struct PythonRandom {
    state: [u32; N],
    index: usize,
}

impl PythonRandom {
    /// The generator after `random.seed(seed)` (integer seeds; the sign is ignored, as in
    /// CPython).
    pub fn seeded(seed: i64) -> PythonRandom {
        let mut magnitude = seed.unsigned_abs();
        let mut key = Vec::new();
        while magnitude > 0 {
            key.push(magnitude as u32);
            magnitude >>= 32;
        }
        if key.is_empty() {
            key.push(0);
        }
        let mut generator = PythonRandom {
            state: [0; N],
            index: N,
        };
        generator.init_by_array(&key);
        generator
    }

    fn init_genrand(&mut self, seed: u32) {
        self.state[0] = seed;
        for i in 1..N {
            let previous = self.state[i - 1];
            self.state[i] = 1_812_433_253u32
                .wrapping_mul(previous ^ (previous >> 30))
                .wrapping_add(i as u32);
        }
        self.index = N;
    }

    fn init_by_array(&mut self, key: &[u32]) {
        self.init_genrand(19_650_218);
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let previous = self.state[i - 1];
            self.state[i] = (self.state[i] ^ (previous ^ (previous >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                self.state[0] = self.state[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let previous = self.state[i - 1];
            self.state[i] = (self.state[i]
                ^ (previous ^ (previous >> 30)).wrapping_mul(1_566_083_941))
            .wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                self.state[0] = self.state[N - 1];
                i = 1;
            }
        }
        self.state[0] = 0x8000_0000;
    }

    fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            for k in 0..N {
                let y = (self.state[k] & UPPER_MASK) | (self.state[(k + 1) % N] & LOWER_MASK);
                let mag = if y & 1 == 1 { MATRIX_A } else { 0 };
                self.state[k] = self.state[(k + M) % N] ^ (y >> 1) ^ mag;
            }
            self.index = 0;
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^= y >> 18;
        y
    }

    /// `random.random()`: a float in [0, 1) with 53 random bits.
    pub fn random(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `random._randbelow(n)` (CPython 3.11's `_randbelow_with_getrandbits`), which
    /// `random.choice` and `random.shuffle` use: `getrandbits(n.bit_length())` drawn again
    /// until below `n`. `n` is at least 1 and below 2^32.
    pub fn below(&mut self, n: u64) -> u64 {
        let bits = 64 - n.leading_zeros();
        loop {
            let drawn = u64::from(self.next_u32() >> (32 - bits));
            if drawn < n {
                return drawn;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `random.seed(5); [random.choice([0, 1, 2]) for _ in range(10)]` in CPython 3.11.
    #[test]
    fn choice_matches_cpython() {
        let mut generator = PythonRandom::seeded(5);
        let drawn: Vec<u64> = (0..10).map(|_| generator.below(3)).collect();
        assert_eq!(drawn, [2, 1, 2, 1, 2, 2, 2, 2, 0, 1]);
    }

    /// `random.seed(s); [random.random() for _ in range(3)]` in CPython 3.11.
    #[test]
    fn matches_cpython() {
        let golden: [(i64, [f64; 3]); 6] = [
            (
                0,
                [0.8444218515250481, 0.7579544029403025, 0.420571580830845],
            ),
            (
                1,
                [0.13436424411240122, 0.8474337369372327, 0.763774618976614],
            ),
            (
                42,
                [
                    0.6394267984578837,
                    0.025010755222666936,
                    0.27502931836911926,
                ],
            ),
            (
                -7,
                [0.32383276483316237, 0.15084917392450192, 0.6509344730398537],
            ),
            (
                1_099_511_627_781,
                [0.5043802970418443, 0.2686044399723282, 0.9257865475671585],
            ),
            (
                123_456_789_012,
                [
                    0.37701448538609916,
                    0.02069602357922562,
                    0.14040538980009454,
                ],
            ),
        ];
        for (seed, values) in golden {
            let mut generator = PythonRandom::seeded(seed);
            for value in values {
                assert_eq!(generator.random(), value, "seed {seed}");
            }
        }
    }
}
