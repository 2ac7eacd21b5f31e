//! The threads a render may borrow ([`tessella_core::render::Workers`]): scoped threads, so jobs can
//! borrow the render's buffers, with the calling thread taking a job of its own rather than waiting.

use tessella_core::render::Workers;

#[derive(Debug)]
pub struct ScopedThreads {
    count: usize,
}

impl ScopedThreads {
    /// At most `count` jobs at once (the calling thread and `count - 1` more).
    pub fn new(count: usize) -> ScopedThreads {
        ScopedThreads { count: count.max(1) }
    }
}

impl Workers for ScopedThreads {
    fn count(&self) -> usize {
        self.count
    }

    fn run<'a>(&self, jobs: Vec<Box<dyn FnOnce() + Send + 'a>>) {
        let mut jobs = jobs.into_iter();
        let Some(own) = jobs.next() else { return };
        std::thread::scope(|scope| {
            for job in jobs {
                scope.spawn(job);
            }
            own();
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn every_job_runs_and_may_borrow() {
        let mut slots = vec![0usize; 5];
        let ran = AtomicUsize::new(0);
        let jobs: Vec<Box<dyn FnOnce() + Send + '_>> = slots
            .iter_mut()
            .enumerate()
            .map(|(i, slot)| {
                let ran = &ran;
                Box::new(move || {
                    *slot = i + 1;
                    ran.fetch_add(1, Ordering::Relaxed);
                }) as Box<dyn FnOnce() + Send + '_>
            })
            .collect();
        ScopedThreads::new(2).run(jobs);
        assert_eq!(ran.load(Ordering::Relaxed), 5);
        assert_eq!(slots, vec![1, 2, 3, 4, 5]);
    }
}
