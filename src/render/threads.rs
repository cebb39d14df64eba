//! Statements built side by side, one per core, on plain threads.
//!
//! Not rayon's `par_iter`: the PDF exporter (krilla) waits for its own
//! parallel work with `rayon::yield_now`, and inside a rayon worker that
//! wait runs other queued tasks, so a worker would start statement after
//! statement on top of one another on its stack: a stack overflow, and all
//! of them in memory at once, for a few hundred statements. On plain
//! threads a statement runs to its end before the next one starts, while
//! Typst and krilla still use rayon's pool for their own work.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` over `items` on as many threads as there are cores, each item once;
/// the results in the items' order.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(items.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let result = f(item);
                    *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                }
            });
        }
    });
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every item was mapped")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order_and_maps_each_item_once() {
        let items: Vec<u32> = (0..100).collect();
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let out = super::map(&items, |x| {
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            x * 2
        });
        assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert_eq!(calls.into_inner(), 100);
        assert!(super::map(&Vec::<u32>::new(), |x| *x).is_empty());
    }
}
