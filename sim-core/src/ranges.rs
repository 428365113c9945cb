//! Lists of numbers as the command line writes them (`sweep --quantum 1..20`, `--seeds
//! 0..9`, `--cpus 1,2,4`): inclusive ranges and single numbers, separated by commas.

/// Most values one range may give.
pub const MAX_RANGE_VALUES: u64 = 100_000;

/// `1..20` (inclusive), `1,2,4`, or a mix: `1..3,8`, for the flag `flag` (named in every
/// error). The list stops at `max_values` values, checked as it grows: many ranges cannot build
/// millions of values before they are refused.
pub fn parse_number_list(text: &str, flag: &str, max_values: usize) -> Result<Vec<u64>, String> {
    let mut numbers = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || format!("{flag}: `{part}` is not a number or a range A..B");
        match part.split_once("..") {
            Some((low, high)) => {
                let low: u64 = low.trim().parse().map_err(|_| bad())?;
                let high: u64 = high.trim().parse().map_err(|_| bad())?;
                if low > high || high - low >= MAX_RANGE_VALUES {
                    return Err(format!(
                        "{flag}: `{part}` must go up, by fewer than 100,000 values"
                    ));
                }
                numbers.extend(low..=high);
            }
            None => numbers.push(part.parse().map_err(|_| bad())?),
        }
        if numbers.len() > max_values {
            return Err(format!(
                "{flag}: more than {max_values} values in all: narrow the ranges"
            ));
        }
    }
    if numbers.is_empty() {
        return Err(format!(
            "{flag}: give numbers or ranges, such as 1..20 or 1,2,4"
        ));
    }
    Ok(numbers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_numbers(text: &str, flag: &str) -> Result<Vec<u64>, String> {
        parse_number_list(text, flag, 1_000_000)
    }

    #[test]
    fn numbers_read_ranges_and_lists() {
        assert_eq!(parse_numbers("1..3,8", "--x").unwrap(), [1, 2, 3, 8]);
        assert!(parse_numbers("3..1", "--x").is_err());
        assert!(parse_numbers("a", "--x").is_err());
        // Twelve ranges of 99,999: refused as the list passes the cap, not after building it.
        let many = ["1..99999"; 12].join(",");
        assert_eq!(
            parse_numbers(&many, "--quantum").unwrap_err(),
            "--quantum: more than 1000000 values in all: narrow the ranges"
        );
    }
}
