//! The simulation's clock: from one wakeup to the next, in time order. At each instant the
//! segments due arrive, then the scheduled actions and network changes happen, then the socket
//! layer's deadlines fall, then the stacks run their timers; the programs react after each
//! step. This is the only part of the engine that both drives the network ([`super::sim`]) and
//! runs the programs ([`super::app`]), so neither depends on the other's loop.

use super::app;
use super::sim::{Sim, MAX_ROUNDS_PER_INSTANT};
use super::time::{Duration, Instant};

impl Sim {
    /// Process everything due up to and including `until`, in time order, then leave the clock
    /// at `until`. Going backwards is the timeline's job (seek), not this one's.
    pub fn step(&mut self, until: Instant) {
        let mut rounds_here = 0;
        let mut last = self.now();
        while let Some(t) = self.next_wakeup() {
            if t > until {
                break;
            }
            if t == last {
                rounds_here += 1;
                if rounds_here > MAX_ROUNDS_PER_INSTANT {
                    // Something keeps asking for "now" without progress; let time move on.
                    if until > self.now() {
                        self.advance(until.min(self.now() + Duration::from_millis(1)));
                        last = self.now();
                        rounds_here = 0;
                        continue;
                    }
                    break;
                }
            } else {
                rounds_here = 0;
                last = t;
            }
            self.advance(t);
        }
        if until > self.now() {
            self.set_now(until);
        }
    }

    /// Step from wakeup to wakeup until nothing is left to do or `limit` is reached; returns
    /// the time reached.
    pub fn run_until_idle(&mut self, limit: Instant) -> Instant {
        while let Some(t) = self.next_wakeup() {
            if t > limit {
                break;
            }
            self.step(t);
        }
        self.now()
    }

    fn advance(&mut self, t: Instant) {
        self.set_now(t);
        while self.deliver_due_flight(t) {
            self.run_processes();
        }
        while let Some(due) = self.take_due_action(t) {
            if let Some((pid, action)) = due {
                app::perform(self, pid, &action);
            }
            self.run_processes();
        }
        while self.fire_due_deadline(t) {
            self.run_processes();
        }
        for _ in 0..MAX_ROUNDS_PER_INSTANT {
            let busy = self.poll_all() | self.run_processes();
            if !busy {
                break;
            }
        }
    }

    /// Let every process whose sockets changed react. True if any did something.
    fn run_processes(&mut self) -> bool {
        let mut any = false;
        for _ in 0..MAX_ROUNDS_PER_INSTANT {
            let Some((pid, socks)) = self.agenda.pop_woken() else {
                break;
            };
            any = true;
            app::react(self, pid, &socks);
        }
        any
    }
}
