//! Progress for a person watching a terminal: migrations replayed by
//! `expected`, catalog queries read by a slow `snapshot`. Nothing is drawn
//! unless the command turned it on ([`enable_on_terminal`]: standard error
//! is a terminal and `CI` is not set), and a step that ends within half a
//! second draws nothing at all, so quick runs, logs and pipes stay clean.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// How long a step runs before its bar appears.
const DELAY: Duration = Duration::from_millis(500);

/// Turn progress on when standard error is a terminal and `CI` is not set;
/// returns whether it is on.
pub fn enable_on_terminal() -> bool {
    use std::io::IsTerminal;
    let on = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    ENABLED.store(on, Ordering::Relaxed);
    on
}

/// One counted step (`replaying 3/40 migrations V3__orders.sql`), shared
/// by the tasks that advance it; cleared from the terminal when dropped.
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: AtomicBool,
    target: fn() -> ProgressDrawTarget,
}

impl Progress {
    /// `what` is the verb and the noun around the count: `("replaying",
    /// "migrations")`.
    pub fn new(len: usize, what: (&str, &str)) -> Progress {
        let on = ENABLED.load(Ordering::Relaxed);
        Progress::with_target(on, len, what, ProgressDrawTarget::stderr)
    }

    fn with_target(
        on: bool,
        len: usize,
        (verb, noun): (&str, &str),
        target: fn() -> ProgressDrawTarget,
    ) -> Progress {
        let bar = on.then(|| {
            let b = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::hidden());
            let template = format!("{verb} {{pos}}/{{len}} {noun} {{wide_bar}} {{msg}}");
            if let Ok(style) = ProgressStyle::with_template(&template) {
                b.set_style(style);
            }
            b
        });
        Progress {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
            target,
        }
    }

    /// One more done; `msg` names it.
    pub fn step(&self, msg: &str) {
        let Some(b) = &self.bar else { return };
        b.inc(1);
        b.set_message(msg.to_string());
        if self.started.elapsed() >= DELAY && !self.shown.swap(true, Ordering::Relaxed) {
            b.set_draw_target((self.target)());
            b.tick();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indicatif::TermLike;
    use std::sync::{Arc, Mutex};

    /// A terminal that records what is drawn on it.
    #[derive(Debug, Clone, Default)]
    struct Screen(Arc<Mutex<String>>);

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            80
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.write_str(s)
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            self.0.lock().unwrap().push_str(s);
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    static SCREEN: Mutex<Option<Screen>> = Mutex::new(None);

    fn screen_target() -> ProgressDrawTarget {
        ProgressDrawTarget::term_like(Box::new(SCREEN.lock().unwrap().clone().unwrap()))
    }

    #[test]
    fn a_slow_step_is_drawn_a_quick_one_or_a_disabled_one_is_not() {
        let screen = Screen::default();
        *SCREEN.lock().unwrap() = Some(screen.clone());

        let quick = Progress::with_target(true, 2, ("replaying", "migrations"), screen_target);
        quick.step("1_a.sql");
        quick.step("2_b.sql");
        drop(quick);
        assert_eq!(*screen.0.lock().unwrap(), "", "drawn within the delay");

        let off = Progress::with_target(false, 2, ("replaying", "migrations"), screen_target);
        std::thread::sleep(DELAY);
        off.step("1_a.sql");
        drop(off);
        assert_eq!(*screen.0.lock().unwrap(), "", "drawn while off");

        let slow = Progress::with_target(true, 3, ("replaying", "migrations"), screen_target);
        slow.step("1_a.sql");
        std::thread::sleep(DELAY);
        slow.step("2_b.sql");
        let drawn = screen.0.lock().unwrap().clone();
        assert!(drawn.contains("replaying 2/3 migrations"), "{drawn:?}");
        assert!(drawn.contains("2_b.sql"), "{drawn:?}");
    }
}
