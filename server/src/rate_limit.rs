//! Login attempts per user name: after `MAX_FAILURES` failures in a window
//! further attempts are refused until the window ends, which makes password
//! guessing slow without locking anyone out for long.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const MAX_FAILURES: u32 = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginLimiter {
    /// Whether `key` may try now.
    pub fn allowed(&self, key: &str) -> bool {
        let mut map = self.failures.lock().expect("limiter lock");
        match map.get(key) {
            Some((_, since)) if since.elapsed() > WINDOW => {
                map.remove(key);
                true
            }
            Some((count, _)) => *count < MAX_FAILURES,
            None => true,
        }
    }

    pub fn failed(&self, key: &str) {
        let mut map = self.failures.lock().expect("limiter lock");
        // Bound memory under a spray of user names.
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() <= WINDOW);
        }
        map.entry(key.to_owned()).or_insert((0, Instant::now())).0 += 1;
    }

    pub fn succeeded(&self, key: &str) {
        self.failures.lock().expect("limiter lock").remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_block_the_sixth_attempt() {
        let limiter = LoginLimiter::default();
        for _ in 0..MAX_FAILURES {
            assert!(limiter.allowed("thuky"));
            limiter.failed("thuky");
        }
        assert!(!limiter.allowed("thuky"));
        assert!(limiter.allowed("other"));
        limiter.succeeded("thuky");
        assert!(limiter.allowed("thuky"));
    }
}
