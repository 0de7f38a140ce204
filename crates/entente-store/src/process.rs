//! Which process owns a `running` run, and whether it is still alive.
//!
//! A run records its host, pid and the process's start token (Linux: the start time in
//! clock ticks since boot, field 22 of `/proc/PID/stat`). The start token guards against pid
//! reuse: a live process with the same pid but another start time is someone else.

use std::fs;

/// Who is running: enough to tell later whether that process still exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessId {
    /// Host name (from `/proc/sys/kernel/hostname`, `HOSTNAME` or `COMPUTERNAME`).
    pub host: String,
    pub pid: u32,
    /// Start token of the process, `None` where the platform gives none.
    pub start: Option<String>,
}

/// Whether a recorded process is alive, as far as this machine can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    Alive,
    Dead,
    /// Another host, or a platform without `/proc`: no way to know.
    Unknown,
}

impl ProcessId {
    /// This process.
    pub fn current() -> ProcessId {
        let pid = std::process::id();
        ProcessId {
            host: host_name(),
            pid,
            start: proc_stat(pid).map(|s| s.start),
        }
    }

    /// Is this process still running? Only answerable on its own host with `/proc`.
    pub fn liveness(&self) -> Liveness {
        if self.host != host_name() || fs::metadata("/proc/self/stat").is_err() {
            return Liveness::Unknown;
        }
        match proc_stat(self.pid) {
            None => Liveness::Dead,
            // A zombie has exited; only its parent has not collected it.
            Some(s) if s.state == 'Z' || s.state == 'X' => Liveness::Dead,
            Some(s) => match &self.start {
                Some(start) if *start != s.start => Liveness::Dead,
                _ => Liveness::Alive,
            },
        }
    }
}

/// This machine's host name, or `unknown`.
pub fn host_name() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok().filter(|s| !s.is_empty()))
        .or_else(|| std::env::var("COMPUTERNAME").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "unknown".to_owned())
}

struct Stat {
    state: char,
    start: String,
}

fn proc_stat(pid: u32) -> Option<Stat> {
    let text = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ...`: comm may hold spaces and parentheses, so split after the last `)`.
    let rest = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // fields[0] is field 3 (state); starttime is field 22.
    Some(Stat {
        state: fields.first()?.chars().next()?,
        start: (*fields.get(19)?).to_owned(),
    })
}
