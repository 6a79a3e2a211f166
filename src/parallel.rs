//! Work spread over the machine's cores with scoped std threads, results in input order, so
//! a parallel stage gives exactly what the sequential one gave.

/// `f` over every item, on up to as many threads as the machine has cores, each thread taking
/// one contiguous run of the items; the results come back in the order of `items`.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_into(items.iter().collect(), f)
}

/// Like [`map`], for work that consumes its items.
pub fn map_into<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let workers = cores();
    if workers < 2 || items.len() < 2 {
        return items.into_iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(workers);
    // Split from the end, so that no item is moved more than once.
    let mut parts = Vec::new();
    let mut rest = items;
    while rest.len() > chunk {
        let start = (rest.len() - 1) / chunk * chunk;
        parts.push(rest.split_off(start));
    }
    parts.push(rest);
    parts.reverse();
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| scope.spawn(move || part.into_iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            // A panic in a worker is a bug: pass it on as the sequential code would have.
            .flat_map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// The number of threads the machine runs at once, read once: the standard library reads the
/// cgroup's CPU quota from `/proc` and `/sys` at every call, and stages ask once per table
/// or folder.
pub fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
}

/// Runs `a` and `b` at the same time; returns both results.
pub fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(|scope| {
        let first = scope.spawn(a);
        let second = b();
        let first = first.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u32> = (0..101).collect();
        assert_eq!(
            super::map(&items, |n| n * 2),
            items.iter().map(|n| n * 2).collect::<Vec<_>>()
        );
        assert_eq!(super::map(&[] as &[u32], |n| *n), Vec::<u32>::new());
        assert_eq!(super::join(|| 1, || "b"), (1, "b"));
        assert_eq!(
            super::map_into(items.clone(), |n| n + 1),
            items.iter().map(|n| n + 1).collect::<Vec<_>>()
        );
        assert_eq!(super::map_into(Vec::<u32>::new(), |n| n), Vec::<u32>::new());
    }
}
