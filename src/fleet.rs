//! Running one job per target over a fleet: bounded concurrency, a timeout
//! per target, and stable sharding across scheduler runs.
//!
//! Nothing here knows what a check is; `check.rs` supplies the per-target
//! work. A slow or failing target never stops the others: each result is
//! collected on its own, and results come back in target order whatever
//! order they finished in.

use std::future::Future;
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};

/// `--shard I/N`: this run takes the targets whose stable hash falls in
/// bucket `I` of `N` (0-based, so a Kubernetes indexed Job can pass
/// `$(JOB_COMPLETION_INDEX)/N` directly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not a shard: expected I/N with 0 <= I < N, e.g. 0/4");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether `name` belongs to this shard. The hash (FNV-1a, 64 bit) is
    /// fixed, so a target stays in its shard across runs, machines and
    /// versions, and adding a target never moves the others.
    pub fn contains(&self, name: &str) -> bool {
        (fnv1a(name.as_bytes()) % u64::from(self.count)) as u32 == self.index
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The outcome of one target's job.
#[derive(Debug)]
pub enum JobResult<T, E> {
    Done(T),
    Failed(E),
    TimedOut(Duration),
}

/// Run `job` for every item, at most `jobs` at a time, each bounded by
/// `timeout`. `on_done` is called as each finishes (for a progress bar).
/// Results are returned in the order of `items`, with each job's duration.
pub async fn run_all<I, T, E, F, Fut>(
    items: Vec<I>,
    jobs: usize,
    timeout: Duration,
    job: F,
    mut on_done: impl FnMut(usize),
) -> Vec<(I, JobResult<T, E>, Duration)>
where
    F: Fn(&I) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let jobs = jobs.max(1);
    let mut slots: Vec<Option<(JobResult<T, E>, Duration)>> =
        (0..items.len()).map(|_| None).collect();
    {
        let mut running = stream::iter(items.iter().enumerate())
            .map(|(i, item)| {
                let fut = job(item);
                async move {
                    let start = Instant::now();
                    let r = match tokio::time::timeout(timeout, fut).await {
                        Ok(Ok(t)) => JobResult::Done(t),
                        Ok(Err(e)) => JobResult::Failed(e),
                        Err(_) => JobResult::TimedOut(timeout),
                    };
                    (i, r, start.elapsed())
                }
            })
            .buffer_unordered(jobs);
        let mut finished = 0;
        while let Some((i, r, d)) = running.next().await {
            slots[i] = Some((r, d));
            finished += 1;
            on_done(finished);
        }
    }
    items
        .into_iter()
        .zip(slots)
        .map(|(item, slot)| {
            let (r, d) = slot.expect("every job reports once");
            (item, r, d)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_parses_and_rejects() {
        assert_eq!(
            "1/4".parse::<Shard>().unwrap(),
            Shard { index: 1, count: 4 }
        );
        for bad in ["4/4", "1/0", "x/2", "1", "-1/3", "1/2/3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_partition_targets_stably() {
        let names: Vec<String> = (0..200).map(|i| format!("tenant_{i:03}")).collect();
        let shards: Vec<Shard> = (0..4).map(|i| Shard { index: i, count: 4 }).collect();
        let mut seen = 0;
        for n in &names {
            let owners: Vec<_> = shards.iter().filter(|s| s.contains(n)).collect();
            assert_eq!(owners.len(), 1, "{n} must be in exactly one shard");
            seen += 1;
        }
        assert_eq!(seen, 200);
        // Every shard gets a fair share (a fixed hash, so this is exact and stable).
        for s in &shards {
            let k = names.iter().filter(|n| s.contains(n)).count();
            assert!((30..=70).contains(&k), "shard {} has {k}", s.index);
        }
        // Stable: the hash is FNV-1a 64 (published test vectors), never a
        // per-process random hash.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[tokio::test]
    async fn bounded_concurrency_timeouts_and_order() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let live = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let items: Vec<u64> = vec![30, 10, 5000, 20, 1, 15];
        let calls = AtomicUsize::new(0);
        let res = run_all(
            items,
            2,
            Duration::from_millis(300),
            |&ms| {
                let (live, peak) = (live.clone(), peak.clone());
                async move {
                    let now = live.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                    live.fetch_sub(1, Ordering::SeqCst);
                    if ms == 1 {
                        Err("refused")
                    } else {
                        Ok(ms * 2)
                    }
                }
            },
            |_| {
                calls.fetch_add(1, Ordering::SeqCst);
            },
        )
        .await;
        assert_eq!(calls.load(Ordering::SeqCst), 6);
        assert!(peak.load(Ordering::SeqCst) <= 2);
        let order: Vec<u64> = res.iter().map(|(i, _, _)| *i).collect();
        assert_eq!(order, vec![30, 10, 5000, 20, 1, 15]);
        assert!(matches!(res[0].1, JobResult::Done(60)));
        assert!(matches!(res[2].1, JobResult::TimedOut(_)));
        assert!(matches!(res[4].1, JobResult::Failed("refused")));
        assert!(matches!(res[5].1, JobResult::Done(30)));
    }
}
