//! Each event in plain words, naming processes as the roster and devices, resources, events
//! and queues as the scenario do. The trace, `--explain`, the run report's deadlock messages
//! and the GUI's event log all read it: events themselves carry no words.

use crate::event::{
    ChildStep, Choice, ChoiceRule, Event, JoinFailure, Measure, PreemptReason, RagNode,
    ReleaseReason, SpawnLimit, SwitchReason, WakeReason,
};
use crate::ids::{DeviceId, FlagId, Pid, QueueId, ResourceId};
use crate::pcb::BlockReason;
use crate::roster::Roster;
use crate::scenario::Scenario;
use crate::snapshot::{WaitKind, WaitOnView};

/// The event in plain words, naming processes as `roster` and devices as the scenario do.
pub fn describe(event: &Event, scenario: &Scenario, roster: &Roster) -> String {
    let text = describe_event(event, scenario, roster);
    // Under `runtime: python` a failed step does not go on: it raises (the next event).
    match text.strip_suffix("; it goes on") {
        Some(failure) if crate::exceptions::raised_by(event, scenario).is_some() => {
            format!("{failure}; it raises")
        }
        _ => text,
    }
}

fn describe_event(event: &Event, scenario: &Scenario, roster: &Roster) -> String {
    let name = |pid: Pid| roster.name(pid);
    let name_of = name;
    let device = |id: DeviceId| scenario.devices[id.0].name.as_str();
    let resource = |id: ResourceId| scenario.sync.resources[id.0].name.as_str();
    let flag = |id: FlagId| scenario.sync.events[id.0].name.as_str();
    let queue = |id: QueueId| scenario.sync.queues[id.0].name.as_str();
    let pool = |id: crate::scenario::PoolId| scenario.pools[id.0].name.as_str();
    // Pipes and sockets carry messages (send, recv); queues items (put, get).
    let is_channel = |id: QueueId| scenario.sync.queues[id.0].kind.is_message_channel();
    let instances = |count: u64, id: ResourceId| {
        if scenario.sync.resources[id.0].instances == 1 && count == 1 {
            resource(id).to_string()
        } else {
            format!("{count} of {}", resource(id))
        }
    };
    let at_level = |level: usize| {
        if scenario.policy.is_multilevel() {
            format!(" at level {level}")
        } else {
            String::new()
        }
    };
    match *event {
        Event::Admit { pid } => format!("{} arrives and enters the ready queue", name(pid)),
        Event::ContextSwitch {
            cpu,
            from,
            to,
            ticks,
        } => match from {
            Some(from) if from == to => format!(
                "{cpu} switches back to {}, the one it ran last ({} of context switch)",
                name(to),
                crate::text::ticks(ticks)
            ),
            Some(from) => format!(
                "{cpu} switches from {} to {} ({} of context switch)",
                name(from),
                name(to),
                crate::text::ticks(ticks)
            ),
            None => format!(
                "{cpu} switches to {}, its first dispatch ({} of context switch)",
                name(to),
                crate::text::ticks(ticks)
            ),
        },
        Event::Dispatch {
            pid, cpu, level, ..
        } => {
            format!("{} starts running on {cpu}{}", name(pid), at_level(level))
        }
        Event::QuantumRenewed { pid, cpu, level } => format!(
            "{}'s quantum expired; it is chosen again and keeps {cpu} with a new quantum{}",
            name(pid),
            at_level(level)
        ),
        Event::Demote { pid, from, to } => format!(
            "{} used up its allotment at level {from}; it moves down to level {to}",
            name(pid)
        ),
        Event::Boost => {
            "priority boost: every process moves to the top level with a fresh quantum and allotment"
                .to_string()
        }
        Event::ToFront { pid, level } => format!(
            "{} is back from IO and goes to the front of level {level}",
            name(pid)
        ),
        Event::Preempt { pid, cpu, reason } => {
            let why = match reason {
                PreemptReason::QuantumExpired => {
                    "its quantum expired; it goes back to the ready queue".to_string()
                }
                PreemptReason::ShorterRemaining { by } => {
                    format!("{} has a shorter remaining burst", name(by))
                }
                PreemptReason::HigherPriority { by } => {
                    format!("{} has a higher priority", name(by))
                }
                PreemptReason::HigherLevel { by } => {
                    format!("{} is ready at a higher level; it stays at the front of its level", name(by))
                }
                PreemptReason::IoReturnToFront { by } => format!(
                    "{} came back from IO to the front of its level; it resumes right after",
                    name(by)
                ),
                PreemptReason::Boost => {
                    "the boost moved it to the top level's queue".to_string()
                }
                PreemptReason::IoDone { by } => {
                    format!("{} is back from IO and runs at once", name(by))
                }
                PreemptReason::ChildRunsFirst { by } => {
                    format!("the draw lets its child {} run first", name(by))
                }
                PreemptReason::HigherQueue { by } => {
                    format!("{} is ready in a higher queue", name(by))
                }
                PreemptReason::QueueTurn => {
                    "its queue's turn is over and the next queue's processes take the CPU".to_string()
                }
                PreemptReason::SmallerVruntime { by } => {
                    format!("{} has a smaller vruntime, by more than the wakeup granularity", name(by))
                }
                PreemptReason::EarlierDeadline { by } => {
                    format!("{} is eligible with an earlier virtual deadline", name(by))
                }
                PreemptReason::EarlierAbsoluteDeadline { by } => {
                    format!("{} is ready with an earlier deadline", name(by))
                }
                PreemptReason::ShorterPeriod { by } => {
                    format!("{} is ready, of a task with a shorter period (a higher rate-monotonic priority)", name(by))
                }
                PreemptReason::ShorterRelativeDeadline { by } => {
                    format!("{} is ready, of a task with a shorter relative deadline (a higher deadline-monotonic priority)", name(by))
                }
                PreemptReason::LessLaxity { by } => {
                    format!("{} now has less laxity (slack) than it", name(by))
                }
                PreemptReason::JobReleased { by } => {
                    format!("the job {} is ready, and background work gives way to jobs", name(by))
                }
                PreemptReason::NoLongerEligible { by } => format!(
                    "{} is eligible and {} no longer is (it has had more than its share)",
                    name(by),
                    name(pid)
                ),
                PreemptReason::ForcedSwitch => {
                    "the schedule switches it out here, to let the others run first".to_string()
                }
            };
            format!("{} is preempted on {cpu}: {why}", name(pid))
        }
        Event::Block { pid, cpu, reason } => {
            let from = cpu
                .map(|cpu| format!(" and leaves {cpu}"))
                .unwrap_or_default();
            match reason {
                BlockReason::Io { device: id, ticks } => format!(
                    "{} issues IO on {} for {ticks} ticks{from}",
                    name(pid),
                    device(id)
                ),
                BlockReason::Wait { child: Some(child) } => format!(
                    "{} waits for its child {}{from}",
                    name(pid),
                    roster.label(child)
                ),
                BlockReason::Wait { child: None } => {
                    format!("{} waits for any child to exit{from}", name(pid))
                }
                BlockReason::Resource {
                    resource: id,
                    count,
                    unsafe_state: false,
                } => format!(
                    "{} waits for {} (not free){from}",
                    name(pid),
                    instances(count, id)
                ),
                BlockReason::Resource {
                    resource: id,
                    count,
                    unsafe_state: true,
                } => format!(
                    "{} waits for {}: granting it now would leave an unsafe state (banker){from}",
                    name(pid),
                    instances(count, id)
                ),
                BlockReason::Event { event } => {
                    format!("{} waits for event {}{from}", name(pid), flag(event))
                }
                BlockReason::QueueFull { queue: id } => format!(
                    "{} waits for room in {}, which is full{from}",
                    name(pid),
                    queue(id)
                ),
                BlockReason::QueueEmpty { queue: id } if is_channel(id) => format!(
                    "{} waits for a message on {} (recv){from}",
                    name(pid),
                    queue(id)
                ),
                BlockReason::QueueEmpty { queue: id } => format!(
                    "{} waits for an item in {}, which is empty{from}",
                    name(pid),
                    queue(id)
                ),
                BlockReason::Sleep { ticks } => {
                    format!("{} sleeps for {ticks} ticks{from}", name(pid))
                }
                BlockReason::Join {
                    thread: Some(thread),
                } => format!("{} joins {}{from}", name(pid), name(thread)),
                BlockReason::PoolTasks { pool: id } => format!(
                    "{} waits for its tasks on pool {}{from}",
                    name(pid),
                    pool(id)
                ),
                BlockReason::PoolResults { pool: id } => format!(
                    "{} (the result handler of pool {}) waits for a callback to run{from}",
                    name(pid),
                    pool(id)
                ),
                BlockReason::PoolIdle { pool: id } => format!(
                    "{} (a worker of pool {}) waits for a task{from}",
                    name(pid),
                    pool(id)
                ),
                BlockReason::JoinPool { pool: id } => format!(
                    "{} joins pool {}: it waits for its workers to exit{from}",
                    name(pid),
                    pool(id)
                ),
                BlockReason::Select { watched } => format!(
                    "{} waits until one of its {watched} sockets is readable{from}",
                    name(pid)
                ),
                BlockReason::EventLoop => format!(
                    "{}'s coroutines all wait: it sleeps in its event loop until the first parked one is ready{from}",
                    name(pid)
                ),
                BlockReason::Stopped => format!(
                    "{} is stopped (SIGSTOP){from}: it waits for SIGCONT",
                    name(pid)
                ),
                BlockReason::JoinQueue { queue: id } => format!(
                    "{} waits until every item of {} is done (join_queue){from}",
                    name(pid),
                    queue(id)
                ),
                BlockReason::JoinChildren => format!(
                    "{}'s program is over; Python's exit handler joins its non-daemon children before it exits{from}",
                    name(pid)
                ),
                BlockReason::Join { thread: None } => format!(
                    "{}'s program is over; it waits for the process's non-daemon threads before the process exits{from}",
                    name(pid)
                ),
            }
        }
        Event::IoStart { pid, device: id } => {
            format!("{}'s queued IO starts on {}", name(pid), device(id))
        }
        Event::Wake { pid, reason } => match reason {
            WakeReason::IoDone { device: id } => format!(
                "{}'s IO on {} completes; it becomes ready",
                name(pid),
                device(id)
            ),
            WakeReason::ChildReaped { child } => format!(
                "{}'s wait returns with {}'s exit status; it becomes ready",
                name(pid),
                roster.label(child)
            ),
            WakeReason::NoChildLeft => format!(
                "{}'s wait fails (ECHILD): it ignores SIGCHLD and no child it waited for is left; it becomes ready",
                name(pid)
            ),
            WakeReason::Acquired { resource: id } => {
                format!("{} got {} and goes on", name(pid), resource(id))
            }
            WakeReason::EventSet { event } => {
                format!("{}: event {} is set; it goes on", name(pid), flag(event))
            }
            WakeReason::QueueSpace { queue: id } => {
                format!("{}'s item went into {}; it goes on", name(pid), queue(id))
            }
            WakeReason::QueueItem { queue: id } if is_channel(id) => {
                format!("{} got a message on {}; it goes on", name(pid), queue(id))
            }
            WakeReason::QueueItem { queue: id } => {
                format!("{} got an item from {}; it goes on", name(pid), queue(id))
            }
            WakeReason::SleepOver => format!("{} wakes from its sleep", name(pid)),
            WakeReason::ThreadJoined { thread } => format!(
                "{}'s join returns: {} has ended",
                name(pid),
                name(thread)
            ),
            WakeReason::TaskQueued { pool: id } => format!(
                "{}, a worker of pool {}, goes back to its loop: a task is queued or the pool closed",
                name(pid),
                pool(id)
            ),
            WakeReason::TasksDone { pool: id } => format!(
                "{}'s tasks on pool {} are done; it goes on",
                name(pid),
                pool(id)
            ),
            WakeReason::PoolJoined { pool: id } => format!(
                "{}'s join_pool returns: the workers of pool {} have exited and its callbacks have run",
                name(pid),
                pool(id)
            ),
            WakeReason::EventLoopReady => format!(
                "{}: a parked coroutine is ready; its event loop goes on",
                name(pid)
            ),
            WakeReason::SocketReadable { queue: id } => format!(
                "{}: {} is readable; its select looks again",
                name(pid),
                queue(id)
            ),
            WakeReason::Continued => format!(
                "{}: its process is continued (SIGCONT); it goes on where it stopped",
                name(pid)
            ),
            WakeReason::Writable { queue: id } => format!(
                "{}: {} has room; its select looks again",
                name(pid),
                queue(id)
            ),
            WakeReason::TimedOut => format!(
                "{}'s timeout runs out before it gets what it waited for: it runs its else steps",
                name(pid)
            ),
            WakeReason::QueueJoined { queue: id } => format!(
                "{}'s join_queue on {} returns: every item is done",
                name(pid),
                queue(id)
            ),
            WakeReason::ChildrenJoined => format!(
                "{} has joined its last non-daemon child: it exits",
                name(pid)
            ),
            WakeReason::ThreadsDone => format!(
                "{}'s last non-daemon thread has ended: the process exits",
                name(pid)
            ),
        },
        Event::Spawn {
            pid,
            thread,
            ref name,
        } => format!(
            "{} starts thread {name} (tid {thread}) in its process; the thread is ready",
            roster.name(pid)
        ),
        Event::ThreadExit { pid, cpu } => {
            let from = cpu.map(|cpu| format!(" on {cpu}")).unwrap_or_default();
            format!("thread {} ends{from}", name(pid))
        }
        Event::ForkRefused { pid, ref name } => format!(
            "{}'s fork of {name} fails: daemonic processes are not allowed to have children; it goes on",
            roster.label(pid)
        ),
        Event::JoinFailed {
            pid,
            ref thread,
            reason,
        } => {
            let why = match reason {
                JoinFailure::Unknown => "its process has no such thread",
                JoinFailure::AlreadyJoined => "that thread has already been joined",
                JoinFailure::Oneself => "a thread cannot join itself",
            };
            format!("{}'s join of {thread} fails: {why}; it goes on", name(pid))
        }
        Event::GilWait { pid, holder } => format!(
            "{} needs the GIL, which {} holds: it waits for the GIL",
            name(pid),
            name(holder)
        ),
        Event::GilDrop { pid, cpu } => format!(
            "{} has run its switch interval while others wait: it drops the GIL, leaves {cpu} and queues for the GIL again",
            name(pid)
        ),
        Event::Read {
            pid,
            variable,
            value,
        } => format!(
            "{} reads {} = {value} into its register",
            name(pid),
            scenario.variable_name(variable)
        ),
        Event::Write {
            pid,
            variable,
            value,
        } => format!(
            "{} writes its register into {}: now {value}",
            name(pid),
            scenario.variable_name(variable)
        ),
        Event::GaveUp { pid, reason } => {
            let why = match reason {
                BlockReason::QueueFull { queue: id } => format!("{} is full (queue.Full)", queue(id)),
                BlockReason::QueueEmpty { queue: id }
                    if scenario.sync.queues[id.0].kind.is_message_channel() =>
                {
                    format!("{} has no message (EAGAIN)", queue(id))
                }
                BlockReason::QueueEmpty { queue: id } => {
                    format!("{} is empty (queue.Empty)", queue(id))
                }
                BlockReason::Event { event } => format!("event {} is not set", flag(event)),
                _ => "it would have to wait".to_string(),
            };
            format!("{}: {why}; it does not wait and runs its else steps", name(pid))
        }
        Event::CoroutineCreate { pid, ref name } => {
            format!("{} creates coroutine {name} in its event loop; it is ready", name_of(pid))
        }
        Event::CoroutineSwitch {
            pid,
            ref from,
            ref to,
            reason,
        } => {
            let why = match reason {
                SwitchReason::Switch => format!("{from} switches to it"),
                SwitchReason::Yield => format!("{from} yields"),
                SwitchReason::Await => format!("{from} awaits a coroutine not finished yet"),
                SwitchReason::Park => format!("{from} parks"),
                SwitchReason::Finished => format!("{from} has finished"),
                SwitchReason::Woken => "it is ready again".to_string(),
            };
            format!("{}'s event loop runs {to}: {why}", name_of(pid))
        }
        Event::CoroutinePark {
            pid,
            ref name,
            ticks,
        } => format!(
            "{}: coroutine {name} parks for {}; the loop runs the others",
            name_of(pid),
            crate::text::ticks(ticks)
        ),
        Event::CoroutineWaitMessage {
            pid,
            ref name,
            ref sockets,
        } => {
            let names: Vec<&str> = sockets.iter().map(|&q| queue(q)).collect();
            format!(
                "{}: coroutine {name} waits for a message on {} (gevent's patched call); the loop runs the others",
                name_of(pid),
                names.join(", ")
            )
        }
        Event::CoroutineWake { pid, ref name } => {
            format!("{}: coroutine {name} is back from its wait, ready", name_of(pid))
        }
        Event::CoroutineDone { pid, ref name } => {
            format!("{}: coroutine {name} has finished", name_of(pid))
        }
        Event::CoroutineFailed {
            pid,
            ref name,
            what,
        } => match what {
            crate::event::CoroutineMisuse::Unknown => format!(
                "{}: no coroutine called {name} in its event loop; the step fails and it goes on",
                name_of(pid)
            ),
            crate::event::CoroutineMisuse::NameTaken => format!(
                "{}: its event loop already has a coroutine called {name}; the step fails and it goes on",
                name_of(pid)
            ),
        },
        Event::Selected {
            pid,
            call,
            ref ready,
        } => {
            let names: Vec<&str> = ready.iter().map(|&q| queue(q)).collect();
            format!("{}'s {call} returns: {} readable", name(pid), names.join(", "))
        }
        Event::QueueTaskDone {
            pid,
            queue: id,
            unfinished,
        } => format!(
            "{} marks an item of {} done ({unfinished} not yet done)",
            name(pid),
            queue(id)
        ),
        Event::TooManyTaskDone { pid, queue: id } => format!(
            "{}'s task_done on {} fails: called more times than items were put; it goes on",
            name(pid),
            queue(id)
        ),
        Event::TaskQueued {
            pid,
            pool: id,
            task,
        } => format!("{} queues task {task} on pool {}", name(pid), pool(id)),
        Event::TaskStart {
            pid,
            pool: id,
            task,
        } => format!("{} (pool {}) takes task {task} and runs it", name(pid), pool(id)),
        Event::TaskDone {
            pid,
            pool: id,
            task,
            value,
        } => match value {
            Some(value) => format!(
                "{} (pool {}) has done task {task}, which returns {value}",
                name(pid),
                pool(id)
            ),
            None => format!("{} (pool {}) has done task {task}", name(pid), pool(id)),
        },
        Event::ResultRaised {
            pid,
            task,
            ref exception,
        } => format!(
            "task {task}, which {} waited for, raised {exception}: its result raises it again in {}",
            name(pid),
            name(pid)
        ),
        Event::WrongEnd { pid, pipe, sending } => format!(
            "{}'s {} on one-way pipe {} fails: end {} only {}; it goes on",
            name(pid),
            if sending { "send" } else { "recv" },
            scenario.sync.queues[pipe.0].name,
            if sending { 0 } else { 1 },
            if sending { "receives" } else { "sends" }
        ),
        Event::SelectTooMany {
            pid,
            descriptors,
            limit,
        } => format!(
            "{}'s select fails: it watches {descriptors} descriptors, more than FD_SETSIZE ({limit}); poll and epoll_wait have no such limit; it goes on",
            name(pid)
        ),
        Event::Input { pid, value } => {
            format!("{} reads {value} from standard input", name(pid))
        }
        Event::InputFailed { pid, ref failure } => match failure {
            crate::event::InputFailure::Closed => format!(
                "{}'s input fails: a process multiprocessing started has its standard input closed; it goes on",
                name(pid)
            ),
            crate::event::InputFailure::AtEnd => format!(
                "{}'s input fails: standard input has no line left; it goes on",
                name(pid)
            ),
            crate::event::InputFailure::NotANumber { line } => format!(
                "{}'s input fails: the line \"{line}\" is not a whole number; it goes on",
                name(pid)
            ),
        },
        Event::NoResult { pid, name: ref result } => format!(
            "{}'s get_result {result} fails: no apply_async of its process has given a result that name yet; it goes on",
            name(pid)
        ),
        Event::PoolMisuse {
            pid,
            pool: id,
            misuse,
        } => match misuse {
            crate::event::PoolMisuse::JoinBeforeClose => format!(
                "{}'s join_pool of {} fails: the pool is still running (close it first); it goes on",
                name(pid),
                pool(id)
            ),
            crate::event::PoolMisuse::SubmitAfterClose => format!(
                "{}'s task for pool {} fails: the pool is closed; it goes on",
                name(pid),
                pool(id)
            ),
        },
        Event::Print { pid, ref text } => format!("{} prints \"{text}\"", name(pid)),
        Event::Raise {
            pid,
            ref exception,
            caught,
            task,
        } => {
            if let Some(task) = task {
                format!(
                    "{} raises {exception} in task {task}: the pool's worker loop catches it and keeps it as the task's result",
                    name(pid)
                )
            } else if caught {
                format!("{} raises {exception}: its `except` steps run", name(pid))
            } else {
                format!(
                    "{} raises {exception}, uncaught: its later steps do not run (the line goes to stderr)",
                    name(pid)
                )
            }
        }
        Event::GilTake { pid, waited } => {
            if waited {
                format!("{} takes the GIL and becomes ready", name(pid))
            } else {
                format!("{} takes the free GIL", name(pid))
            }
        }
        Event::Exit { pid, cpu, code } => {
            let from = cpu.map(|cpu| format!(" on {cpu}")).unwrap_or_default();
            format!("{} exits with code {code}{from}", roster.label(pid))
        }
        Event::Fork {
            pid,
            child,
            ref name,
        } => format!(
            "{} forks {name} (pid {child}); the child is ready",
            roster.label(pid)
        ),
        Event::ForkFailed {
            pid,
            ref name,
            limit,
        } => format!(
            "{}'s fork of {name} fails (EAGAIN): {limit} processes exist, the max_processes limit",
            roster.label(pid)
        ),
        Event::SpawnFailed {
            pid,
            ref name,
            limit,
            limit_name: SpawnLimit::MaxProcesses,
        } => format!(
            "{}'s spawn of thread {name} fails (EAGAIN): {limit} processes and threads exist, the max_processes limit",
            roster.label(pid)
        ),
        Event::SpawnFailed {
            pid,
            ref name,
            limit,
            limit_name: SpawnLimit::MaxThreads,
        } => format!(
            "{}'s spawn of thread {name} fails (EAGAIN): {limit} spawned threads are alive, the max_threads limit",
            roster.label(pid)
        ),
        Event::Signal { pid, to, delay } => format!(
            "{} sends SIGTERM to its child {}, which is terminated when it handles it, {delay} {} later (alive until then)",
            name(pid),
            roster.label(to),
            if delay == 1 { "tick" } else { "ticks" }
        ),
        Event::DeadlineMiss {
            pid,
            remaining,
            aborted,
        } => format!(
            "{} misses its deadline: it is unfinished, with {remaining} {} of work left{}",
            roster.label(pid),
            if remaining == 1 { "tick" } else { "ticks" },
            if aborted {
                "; it is aborted (on_miss: abort)"
            } else {
                "; it runs on, late (on_miss: continue)"
            }
        ),
        Event::Kill { pid, by } => format!(
            "{} terminates its child {} (no cleanup: its children become orphans)",
            roster.label(by),
            roster.label(pid)
        ),
        Event::Reparent { pid, from, to } => format!(
            "{} is orphaned by {}'s exit; {} adopts it",
            roster.label(pid),
            roster.label(from),
            roster.label(to)
        ),
        Event::Reap { pid, by, code } => format!(
            "{} reaps {} (exit status {code}); its PCB is freed",
            roster.label(by),
            roster.label(pid)
        ),
        Event::NoSuchChild {
            pid,
            step,
            ref target,
        } => match step {
            ChildStep::Wait if target == "any" => format!(
                "{}'s wait fails (ECHILD): it has no child; it goes on",
                roster.label(pid)
            ),
            ChildStep::Wait => format!(
                "{}'s wait for {target} fails (ECHILD): no such child; it goes on",
                roster.label(pid)
            ),
            ChildStep::Kill => format!(
                "{}'s kill of {target} fails (ESRCH): no such child; it goes on",
                roster.label(pid)
            ),
            ChildStep::Signal => format!(
                "{}'s signal to {target} fails (ESRCH): no such child; it goes on",
                roster.label(pid)
            ),
        },
        Event::SignalSent { pid, to, sig } => format!(
            "{} sends {} to {}",
            name(pid),
            sig.name(),
            roster.label(to)
        ),
        Event::Stop { pid } => format!(
            "{} stops: its threads leave their CPUs and the ready queue until SIGCONT",
            roster.label(pid)
        ),
        Event::Continue { pid } => format!(
            "{} continues: its threads go on where they stopped",
            roster.label(pid)
        ),
        Event::HangUp { pid } => format!(
            "{} is stopped and orphaned: SIGHUP and SIGCONT end it (status -1)",
            roster.label(pid)
        ),
        Event::HandlerRun { pid, sig } => format!(
            "{} runs its {} handler, then goes back to where the signal found it",
            name(pid),
            sig.name()
        ),
        Event::Acquire {
            pid,
            resource: id,
            count,
        } => format!("{} acquires {}", name(pid), instances(count, id)),
        Event::Release {
            pid,
            resource: id,
            count,
            reason,
        } => {
            let why = match reason {
                ReleaseReason::Step => "",
                ReleaseReason::Exit => " (it exited holding it)",
                ReleaseReason::Preempted => " (taken by deadlock recovery)",
            };
            format!("{} releases {}{why}", name(pid), instances(count, id))
        }
        Event::ReleaseNotHeld {
            pid,
            resource: id,
            count,
            held,
        } => format!(
            "{} releases {count} of {} but holds only {held}: it releases what it holds",
            name(pid),
            resource(id)
        ),
        Event::SetEvent { pid, flag: event, woken } => format!(
            "{} sets event {}; {}",
            name(pid),
            flag(event),
            match woken {
                0 => "nobody is waiting for it".to_string(),
                1 => "1 waiting process goes on".to_string(),
                n => format!("{n} waiting processes go on"),
            }
        ),
        Event::ClearEvent { pid, flag: event } => {
            format!("{} clears event {}", name(pid), flag(event))
        }
        Event::Put {
            pid,
            queue: id,
            items,
        } if scenario.sync.queues[id.0].kind.is_message_channel() => format!(
            "{} sends a message on {} ({items} waiting)",
            name(pid),
            queue(id)
        ),
        Event::Get {
            pid,
            queue: id,
            items,
        } if scenario.sync.queues[id.0].kind.is_message_channel() => format!(
            "{} receives a message from {} ({items} left)",
            name(pid),
            queue(id)
        ),
        Event::Put {
            pid,
            queue: id,
            items,
        } => format!(
            "{} puts an item into {} ({items} in the queue)",
            name(pid),
            queue(id)
        ),
        Event::Get {
            pid,
            queue: id,
            items,
        } => format!(
            "{} takes an item from {} ({items} left)",
            name(pid),
            queue(id)
        ),
        Event::Deadlock {
            ref processes,
            ref cycle,
            ..
        } => {
            let names: Vec<&str> = processes.iter().map(|&p| name(p)).collect();
            let cycle = cycle_arrows(&cycle_names(cycle, scenario, roster));
            match &names[..] {
                [alone] => format!(
                    "deadlock: {alone} waits for what it holds itself, forever; cycle {cycle}"
                ),
                _ => format!(
                    "deadlock: {} wait for each other forever; cycle {cycle}",
                    names.join(", ")
                ),
            }
        }
        Event::Abort { pid } => format!(
            "deadlock recovery aborts {} (exit status -9)",
            roster.label(pid)
        ),
        Event::Rollback { pid, step } => format!(
            "deadlock recovery rolls {} back to step {step} (its acquire); it will ask again",
            name(pid)
        ),
    }
}

/// What a wait is on, in words, as the title of its box: `waiting for L`, `recv conn (no
/// message)`, `server in select on 12 sockets: listen, c1, c2, …`.
pub fn wait_title(on: &WaitOnView) -> String {
    let name = &on.name;
    match on.kind {
        WaitKind::Device => format!("IO on {name}"),
        WaitKind::Sleep => "sleeping".to_string(),
        WaitKind::Resource => format!("waiting for {name}"),
        WaitKind::Event => format!("waiting for event {name}"),
        WaitKind::QueueItem => format!("get {name} (empty)"),
        WaitKind::QueueRoom => format!("put {name} (full)"),
        WaitKind::QueueJoin => format!("join_queue {name} (items not done)"),
        WaitKind::PipeRecv | WaitKind::SocketRecv => format!("recv {name} (no message)"),
        WaitKind::PipeSend | WaitKind::SocketSend => format!("send {name} (full)"),
        WaitKind::Select => {
            const SHOWN: usize = 3;
            let sockets = on.watching.len();
            let mut listed = on.watching[..sockets.min(SHOWN)].join(", ");
            if sockets > SHOWN {
                listed.push_str(", …");
            }
            format!(
                "{name} in select on {sockets} socket{}: {listed}",
                crate::text::plural_s(sockets)
            )
        }
        WaitKind::Child => format!("waiting for child {name} (wait)"),
        WaitKind::AnyChild => format!("{name} waiting for any child (wait)"),
        WaitKind::Thread => format!("joining {name} (join)"),
        WaitKind::Threads => format!("{name}: its program is over, it waits for its threads"),
        WaitKind::Children => format!("{name}: at exit, joining its children"),
        WaitKind::PoolTask => format!("waiting for tasks on {name}"),
        WaitKind::PoolIdle => format!("{name}: idle workers, waiting for a task"),
        WaitKind::PoolResults => format!("{name}: its result handler, waiting for a callback"),
        WaitKind::PoolJoin => format!("join_pool {name} (workers or callbacks still running)"),
        WaitKind::Gil => format!("{name}: waiting for the GIL"),
        WaitKind::EventLoop => format!("{name} in its event loop (coroutines parked)"),
        WaitKind::Stopped => format!("{name}: stopped (SIGSTOP), waiting for SIGCONT"),
    }
}

/// A cycle of names as `P1 -> A -> P2 -> B -> P1`: each process waits for the next resource,
/// which the next process holds.
pub fn cycle_arrows(names: &[String]) -> String {
    let mut text = names.join(" -> ");
    if let Some(first) = names.first() {
        text.push_str(" -> ");
        text.push_str(first);
    }
    text
}

/// The names along a cycle, alternating process and resource.
pub fn cycle_names(cycle: &[RagNode], scenario: &Scenario, roster: &Roster) -> Vec<String> {
    cycle
        .iter()
        .map(|node| match *node {
            RagNode::Process { pid } => roster.name(pid).to_string(),
            RagNode::Resource { resource } => scenario.sync.resources[resource.0].name.clone(),
        })
        .collect()
}

/// Why the policy chose `chosen`, in the words of a caption, from the reason its dispatch
/// event carries: `P3 chosen: 2 left, the least (P5 has 4)`; `P2 chosen: first in the ready
/// queue`. Nothing is re-derived: the values are those the policy compared.
pub fn why_chosen(chosen: Pid, why: &Choice, roster: &Roster) -> String {
    let name = |pid: Pid| roster.label(pid);
    let head = format!("{} chosen", name(chosen));
    let keyed = |what: &dyn Fn(&Measure) -> String, best: &str| -> String {
        let Some(value) = &why.value else {
            return head.clone();
        };
        match (why.runner_up, &why.runner_up_value) {
            (Some(other), Some(theirs)) if theirs == value => format!(
                "{head}: {}, {best}; a tie with {}, tie broken by the order of entry into the ready queue",
                what(value),
                name(other)
            ),
            (Some(other), Some(theirs)) => format!(
                "{head}: {}, {best} ({} has {theirs})",
                what(value),
                name(other)
            ),
            _ => format!("{head}: {}, the only one ready", what(value)),
        }
    };
    // The real-time policies break ties by release, then task order.
    let real_time = |what: &dyn Fn(&Measure) -> String, best: &str| -> String {
        match (&why.value, why.runner_up, &why.runner_up_value) {
            (Some(value), Some(other), Some(theirs)) if theirs == value => format!(
                "{head}: {}, {best}; a tie with {}, broken by release, then the order of the tasks",
                what(value),
                name(other)
            ),
            _ => keyed(what, best),
        }
    };
    match why.rule {
        ChoiceRule::EarliestDeadline => {
            real_time(&|value| format!("deadline {value}"), "the earliest")
        }
        ChoiceRule::ShortestPeriod => real_time(
            &|value| format!("period {value}"),
            "the shortest (rate monotonic)",
        ),
        ChoiceRule::ShortestRelativeDeadline => real_time(
            &|value| format!("relative deadline {value}"),
            "the shortest (deadline monotonic)",
        ),
        ChoiceRule::LeastLaxity => real_time(&|value| format!("laxity {value}"), "the least"),
        ChoiceRule::FirstInLine if why.runner_up.is_none() => {
            format!("{head}: the only one ready")
        }
        ChoiceRule::FirstInLine => {
            format!("{head}: first in the ready queue (first come, first served)")
        }
        ChoiceRule::NextAfterLast => {
            format!("{head}: the next ready process after the one that ran last, in pid order")
        }
        ChoiceRule::BackFromIo => {
            format!("{head}: back from IO at this instant, it takes the CPU at once")
        }
        ChoiceRule::WaitedFor => format!("{head}: the CPU waited for its IO and gives it back"),
        ChoiceRule::HighestLevel => match &why.value {
            Some(level) => {
                format!("{head}: first in level {level}, the highest level with a ready process")
            }
            None => head,
        },
        ChoiceRule::TicketDrawn => match &why.value {
            Some(ticket) => format!("{head}: {ticket} won the draw"),
            None => head,
        },
        ChoiceRule::ShortestBurst | ChoiceRule::ShortestRemaining => {
            keyed(&|value| format!("{value} left"), "the least")
        }
        ChoiceRule::HighestPriority => keyed(
            &|value| format!("priority {value}"),
            "the lowest number, the highest priority",
        ),
        ChoiceRule::LowestPass => keyed(&|value| format!("pass {value}"), "the lowest"),
        ChoiceRule::LeastVruntime => keyed(&|value| format!("vruntime {value}"), "the least"),
        // Others may be ready without being eligible: alone, it is the only eligible one.
        ChoiceRule::EarliestEligibleDeadline => match (&why.value, why.runner_up) {
            (Some(value), None) => {
                format!("{head}: virtual deadline {value}, the only one owed CPU time (lag ≥ 0)")
            }
            _ => keyed(
                &|value| format!("virtual deadline {value}"),
                "the earliest of those owed CPU time (lag ≥ 0)",
            ),
        },
        ChoiceRule::HighestQueue => keyed(
            &|value| format!("the only one ready in queue {value}"),
            "the highest queue with a ready process",
        ),
        ChoiceRule::QueueTurn => keyed(
            &|value| format!("the only one ready in queue {value}"),
            "the queue whose turn it is",
        ),
        ChoiceRule::HighestResponseRatio => keyed(
            &|value| format!("response ratio (waiting + burst) / burst {value}"),
            "the highest",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Scenario, Simulator, Tick};

    /// The caption of the dispatch of `pid` at `time`, from the event the run logged.
    fn caption_at(yaml: &str, time: u64, pid: u32) -> String {
        let scenario = Scenario::from_yaml(yaml).unwrap();
        let mut simulator = Simulator::new(scenario);
        simulator.advance_to(Tick(time), 1_000).unwrap();
        let why = simulator
            .log()
            .iter()
            .find_map(|timed| match timed.event {
                Event::Dispatch { pid: p, why, .. }
                    if p == Pid(pid) && timed.time == Tick(time) =>
                {
                    Some(why)
                }
                _ => None,
            })
            .expect("a dispatch of the process at that time");
        why_chosen(Pid(pid), &why, simulator.roster())
    }

    #[test]
    fn a_caption_gives_the_rule_and_the_numbers_that_decided() {
        let srtf = "name: s\npolicy: srtf\nprocesses: [{name: A, burst: 5}, {name: B, burst: 2}, {name: C, burst: 4}]\n";
        assert_eq!(
            caption_at(srtf, 0, 3),
            "B chosen: 2 left, the least (C has 4)"
        );
        let tie = "name: s\npolicy: sjf\nprocesses: [{name: A, burst: 3}, {name: B, burst: 3}]\n";
        assert_eq!(
            caption_at(tie, 0, 2),
            "A chosen: 3 left, the least; a tie with B, tie broken by the order of entry into the ready queue"
        );
        let fcfs = "name: s\npolicy: fcfs\nprocesses: [{name: A, burst: 3}, {name: B, burst: 3}]\n";
        assert_eq!(
            caption_at(fcfs, 0, 2),
            "A chosen: first in the ready queue (first come, first served)"
        );
    }

    /// Aging lowered B's key to 2: the caption gives the aged priority the policy compared,
    /// not B's own 5 (the caption that re-derived it said "5 priority, the highest").
    #[test]
    fn an_aged_priority_is_the_one_compared() {
        let aging = "name: s\npolicy: {kind: priority, aging: 3}\nprocesses: [{name: A, priority: 1, burst: 4}, {name: B, priority: 5, burst: 1}, {name: D, priority: 4, burst: 1, arrival: 3}]\n";
        assert_eq!(
            caption_at(aging, 4, 3),
            "B chosen: priority 2, the lowest number, the highest priority (D has 4)"
        );
    }

    #[test]
    fn each_rule_says_what_it_compared() {
        let hrrn = "name: s\npolicy: hrrn\nprocesses: [{name: A, burst: 4}, {name: B, burst: 2, arrival: 1}, {name: C, burst: 6, arrival: 1}]\n";
        // At 4: B waited 3 with a burst of 2 (5/2), C waited 3 with 6 (9/6).
        assert_eq!(
            caption_at(hrrn, 4, 3),
            "B chosen: response ratio (waiting + burst) / burst 5/2 (2.50), the highest (C has 9/6 (1.50))"
        );
        let stride = "name: s\npolicy: {kind: stride, quantum: 2}\nprocesses: [{name: A, burst: 4, tickets: 100}, {name: B, burst: 4, tickets: 50}]\n";
        assert_eq!(
            caption_at(stride, 2, 3),
            "B chosen: pass 0, the lowest (A has 200)"
        );
        let lottery = "name: s\nseed: 1\npolicy: {kind: lottery, quantum: 1}\nprocesses: [{name: A, burst: 2, tickets: 10}, {name: B, burst: 2, tickets: 30}]\n";
        let scenario = Scenario::from_yaml(lottery).unwrap();
        let mut simulator = Simulator::new(scenario);
        simulator.advance_to(Tick(0), 1_000).unwrap();
        let caption = simulator
            .log()
            .iter()
            .find_map(|timed| match timed.event {
                Event::Dispatch { pid, why, .. } => Some(why_chosen(pid, &why, simulator.roster())),
                _ => None,
            })
            .unwrap();
        assert!(caption.ends_with(" of 40 won the draw"), "{caption}");
        let mlfq = "name: s\npolicy: {kind: mlfq, levels: [{quantum: 1}, {quantum: 2}]}\nprocesses: [{name: A, burst: 3}, {name: B, burst: 3}]\n";
        assert_eq!(
            caption_at(mlfq, 0, 2),
            "A chosen: first in level 0, the highest level with a ready process"
        );
    }
}
