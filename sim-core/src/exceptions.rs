//! Python's exceptions for the steps that fail (docs/python.md, "Uncaught failures"): what
//! CPython raises where procsim lists a failed step, as the last line of its traceback.

use crate::event::{
    ChildStep, CoroutineMisuse, Event, InputFailure, JoinFailure, PoolMisuse, WakeReason,
};
use crate::scenario::{Runtime, Scenario};

/// Under `runtime: python`, the exception CPython raises where `event` says a step failed
/// (its traceback's last line); `None` when the event is no failure, Python does not raise
/// there, or the runtime is posix (a failed system call returns an error).
pub fn raised_by(event: &Event, scenario: &Scenario) -> Option<String> {
    if scenario.runtime != Runtime::Python {
        return None;
    }
    Some(match event {
        // multiprocessing/process.py, BaseProcess.start.
        Event::ForkRefused { .. } => {
            "AssertionError: daemonic processes are not allowed to have children".to_string()
        }
        // os.fork() at EAGAIN.
        Event::ForkFailed { .. } => {
            "BlockingIOError: [Errno 11] Resource temporarily unavailable".to_string()
        }
        // threading.Thread.start: _start_new_thread fails.
        Event::SpawnFailed { .. } => "RuntimeError: can't start new thread".to_string(),
        // `wait: any` is os.wait(); `wait: C` is C.join(), `kill: C` C.terminate() (CPython
        // 3.11's messages for a Process never started).
        Event::NoSuchChild {
            step: ChildStep::Wait,
            target,
            ..
        } if target == "any" => "ChildProcessError: [Errno 10] No child processes".to_string(),
        Event::NoSuchChild {
            step: ChildStep::Wait,
            ..
        } => "AssertionError: can only join a started process".to_string(),
        Event::NoSuchChild {
            step: ChildStep::Kill,
            ..
        } => "AttributeError: 'NoneType' object has no attribute 'terminate'".to_string(),
        // os.kill(p.pid, sig) with p None.
        Event::NoSuchChild {
            step: ChildStep::Signal,
            ..
        } => "AttributeError: 'NoneType' object has no attribute 'pid'".to_string(),
        Event::Wake {
            reason: WakeReason::NoChildLeft,
            ..
        } => "ChildProcessError: [Errno 10] No child processes".to_string(),
        // multiprocessing's Lock and Semaphore are SemLocks (Modules/_multiprocessing/semaphore.c).
        Event::ReleaseNotHeld { resource, .. } => {
            let name = &scenario.sync.resources[resource.0].name;
            format!("ValueError: semaphore or lock released too many times ({name})")
        }
        Event::JoinFailed { reason, .. } => match reason {
            JoinFailure::Unknown => {
                "RuntimeError: cannot join thread before it is started".to_string()
            }
            JoinFailure::Oneself => "RuntimeError: cannot join current thread".to_string(),
            // Python's join of a finished thread returns at once.
            JoinFailure::AlreadyJoined => return None,
        },
        Event::PoolMisuse { misuse, .. } => match misuse {
            PoolMisuse::JoinBeforeClose => "ValueError: Pool is still running".to_string(),
            PoolMisuse::SubmitAfterClose => "ValueError: Pool not running".to_string(),
        },
        Event::CoroutineFailed {
            name,
            what: CoroutineMisuse::Unknown,
            ..
        } => format!("NameError: name '{name}' is not defined"),
        // AsyncResult.get() raises what the task raised (multiprocessing/pool.py).
        Event::ResultRaised { exception, .. } => exception.clone(),
        // multiprocessing/connection.py, _check_writable / _check_readable.
        Event::WrongEnd { sending: true, .. } => "OSError: connection is read-only".to_string(),
        Event::WrongEnd { sending: false, .. } => "OSError: connection is write-only".to_string(),
        // Modules/selectmodule.c, seq2set: a descriptor at or past FD_SETSIZE.
        Event::SelectTooMany { .. } => {
            "ValueError: filedescriptor out of range in select()".to_string()
        }
        // input() at end of file (multiprocessing gives a child /dev/null as stdin); int().
        Event::InputFailed {
            failure: InputFailure::Closed | InputFailure::AtEnd,
            ..
        } => "EOFError: EOF when reading a line".to_string(),
        Event::InputFailed {
            failure: InputFailure::NotANumber { line },
            ..
        } => format!(
            "ValueError: invalid literal for int() with base 10: {}",
            python_repr(line)
        ),
        Event::NoResult { name, .. } => format!("NameError: name '{name}' is not defined"),
        Event::TooManyTaskDone { .. } => {
            "ValueError: task_done() called too many times".to_string()
        }
        _ => return None,
    })
}

/// A text as Python's `repr` writes it: in single quotes, or double ones when it holds a
/// single quote and no double one.
fn python_repr(text: &str) -> String {
    if text.contains('\'') && !text.contains('"') {
        format!("\"{text}\"")
    } else {
        format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}
