//! The program interpreter: a process's steps from its program counter until it needs the
//! CPU, blocks or ends; and the small state changes every step uses (block, enqueue, charge,
//! emit).

use super::*;
use crate::event::InputFailure;
use crate::prefetch::{prefetch, prefetch_slice};
use crate::scenario::{Multiplexer, ReturnValue, Runtime, Waiting, ZeroTime};

/// Steps `next_burst` looks through before it gives up (a long loop of steps that take no time).
const NEXT_BURST_STEPS: usize = 256;

/// Where a woken thread goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum GoOn {
    /// Past the step it blocked in: it got what it waited for.
    PastStep,
    /// At that step again: it looks again (a worker for a task, a `select` at its sockets),
    /// or its program was already over (an exit that waited for children).
    AtStep,
}

impl Simulator {
    /// Carries out the program of `pid` from its program counter until it needs the CPU,
    /// blocks or ends, then does the same for the processes that this made go on (forked
    /// children, parents whose `wait` returned). `on_cpu` is the CPU `pid` holds, if any, with
    /// the quantum it had left and whether that quantum ran out at this very tick.
    pub(super) fn continue_program(&mut self, pid: Pid, on_cpu: Option<OnCpu>, why: ReadyReason) {
        let outermost = !self.running_pending;
        self.running_pending = true;
        self.run_program(pid, on_cpu, why);
        if outermost {
            self.running_pending = false;
            self.drain_pending();
        }
    }

    /// Runs the programs of the processes waiting in `pending`, unless a cascade of them is
    /// already under way (it will reach them).
    pub(super) fn drain_pending(&mut self) {
        if self.running_pending {
            return;
        }
        self.running_pending = true;
        while let Some((next, why)) = self.pending.pop_front() {
            if self.is_over_event_limit() {
                // The run stops at this instant: the rest of the cascade is never logged.
                self.pending.clear();
                break;
            }
            // A kill at this instant may have ended it already.
            if !self.pcbs[next.index()].state.has_exited() {
                self.run_program(next, None, why);
            }
        }
        self.running_pending = false;
    }

    /// Runs the zero-time steps (fork, wait, kill, exit) of `pid` and stops at the first step
    /// that takes time.
    pub(super) fn run_program(&mut self, pid: Pid, on_cpu: Option<OnCpu>, why: ReadyReason) {
        let index = pid.index();
        // A thread of a stopped process is held until SIGCONT, whatever woke it.
        if on_cpu.is_none() && self.is_stopped(pid) {
            return self.hold_stopped(pid, waits::Resume::Program, None);
        }
        // A thread off the CPU runs no step of a GIL process without the GIL.
        if on_cpu.is_none() && !self.gil_admits(pid) {
            return;
        }
        // Nor, as instructions run, any step without a CPU: it waits for one, at its step.
        if on_cpu.is_none() && self.scenario.rules.zero_time == ZeroTime::OnCpu {
            return self.make_ready(pid, why);
        }
        loop {
            if self.is_over_event_limit() {
                return; // the run stops at this instant
            }
            self.zero_time_steps += 1;
            if !self.raising.is_empty() && self.handle_raise(pid) {
                continue;
            }
            if !self.pending_handlers.is_empty() && self.enter_handler(pid) {
                continue;
            }
            if !self.gils.is_empty() && self.gil_deferred_drop(pid, on_cpu) {
                return;
            }
            if self.choices.script.is_some() && self.forced_switch(pid, on_cpu) {
                return;
            }
            let step = self.programs[index]
                .get(self.pcbs[index].program_counter)
                .cloned();
            let cpu = on_cpu.map(|on| on.cpu);
            match step {
                Some(Step::Cpu { ticks } | Step::Bytecode { ticks }) => {
                    self.pcbs[index].remaining_ticks = ticks;
                    if cpu.is_none() {
                        self.set_state(pid, ProcState::Ready);
                        self.enqueue(pid, why);
                    }
                    return;
                }
                Some(ref step @ (Step::Io { ticks, .. } | Step::Sleep { ticks }))
                    // The event loop first: without coroutines no PCB is read here.
                    if self.has_event_loop(pid) && {
                        let patch = self.monkey_patch(pid);
                        if matches!(step, Step::Sleep { .. }) { patch.time } else { patch.os }
                    } =>
                {
                    // gevent's patch: a blocking call parks the coroutine instead.
                    if self.spend_step_cost(
                        pid,
                        on_cpu,
                        why,
                        self.scenario.rules.coroutine_switch_ticks,
                    ) {
                        return;
                    }
                    if self.park_coroutine(pid, on_cpu, ticks) {
                        continue;
                    }
                    return;
                }
                Some(Step::Io { device, ticks }) => {
                    // Its next step and its blocked time (a line of its PCB that running
                    // does not touch) are read when the IO ends.
                    let next_step = self.pcbs[index].program_counter + 1;
                    let program = &self.programs[index];
                    prefetch_slice(program.get(next_step..=next_step).unwrap_or_default());
                    prefetch(&self.pcbs[index].blocked_ticks);
                    self.pcbs[index].remaining_ticks = ticks;
                    self.block_for(
                        pid,
                        on_cpu,
                        BlockReason::Io { device, ticks },
                        waits::Want::Service(ticks),
                    );
                    self.request_io(pid, device, ticks);
                    return;
                }
                Some(Step::Fork(child)) => {
                    if self.spend_step_cost(pid, on_cpu, why, self.scenario.rules.fork_cost_ticks) {
                        return;
                    }
                    let forked = Pid::from_index(self.pcbs.len());
                    self.fork(pid, &child);
                    if self.pcbs.len() > forked.index() && self.child_runs_first(pid, on_cpu, forked)
                    {
                        return;
                    }
                }
                Some(Step::Spawn(thread)) => {
                    if self.spend_step_cost(pid, on_cpu, why, self.scenario.rules.spawn_cost_ticks)
                    {
                        return;
                    }
                    self.spawn(pid, &thread)
                }
                Some(Step::Join(name)) => {
                    if let Some(thread) = self.start_join(pid, &name) {
                        self.pcbs[index].remaining_ticks = 0;
                        self.block(
                            pid,
                            on_cpu,
                            BlockReason::Join {
                                thread: Some(thread),
                            },
                        );
                        return;
                    }
                }
                Some(Step::Wait(target)) => {
                    if let Some(child) = self.start_wait(pid, &target) {
                        self.pcbs[index].remaining_ticks = 0;
                        self.block(pid, on_cpu, BlockReason::Wait { child });
                        return;
                    }
                }
                Some(Step::Kill { child }) => self.kill_child(pid, &child),
                Some(Step::Acquire {
                    resource,
                    count,
                    wait,
                }) => match self.acquire(pid, on_cpu, resource, count, wait) {
                    sync::Flow::Next => {}
                    sync::Flow::GiveUp(at) => {
                        self.pcbs[index].program_counter = at;
                        continue;
                    }
                    sync::Flow::Blocked => return,
                },
                Some(Step::Release { resource, count }) => self.release(pid, resource, count),
                Some(Step::WaitEvent { flag, wait }) => {
                    match self.wait_event(pid, on_cpu, flag, wait) {
                        sync::Flow::Next => {}
                        sync::Flow::GiveUp(at) => {
                            self.pcbs[index].program_counter = at;
                            continue;
                        }
                        sync::Flow::Blocked => return,
                    }
                }
                Some(Step::SetEvent(flag)) => self.set_event(pid, flag),
                Some(Step::ClearEvent(flag)) => self.clear_event(pid, flag),
                Some(Step::Put { queue, carry, wait }) => {
                    let value = carry.then_some(self.pcbs[index].register);
                    match self.put(pid, on_cpu, queue, value, wait) {
                        sync::Flow::Next => {}
                        sync::Flow::GiveUp(at) => {
                            self.pcbs[index].program_counter = at;
                            continue;
                        }
                        sync::Flow::Blocked => return,
                    }
                }
                Some(Step::Get {
                    queue,
                    wait: Waiting::Block,
                }) if self.patched_wait_for_message(pid, &[queue], true) => {
                    // gevent's patched socket: only this coroutine waits for the message.
                    if self.park_coroutine_on(pid, on_cpu, &[queue]) {
                        continue;
                    }
                    return;
                }
                Some(Step::Select {
                    ref watched,
                    ref writing,
                    call,
                    wait: Waiting::Block,
                }) if call != Multiplexer::Epoll
                    && writing.is_empty()
                    && self.patched_wait_for_message(pid, watched, false) =>
                {
                    // gevent's patched select/poll: only this coroutine waits.
                    if self.park_coroutine_on(pid, on_cpu, watched) {
                        continue;
                    }
                    return;
                }
                Some(Step::Get { queue, wait }) => match self.get(pid, on_cpu, queue, wait) {
                    sync::Flow::Next => {}
                    sync::Flow::GiveUp(at) => {
                        self.pcbs[index].program_counter = at;
                        continue;
                    }
                    sync::Flow::Blocked => return,
                },
                Some(Step::TaskDone(queue)) => self.task_done(pid, queue),
                Some(Step::Select {
                    call,
                    watched,
                    writing,
                    wait,
                }) => match self.select(pid, on_cpu, why, call, &watched, &writing, wait) {
                    sync::Flow::Next => {}
                    sync::Flow::GiveUp(at) => {
                        self.pcbs[index].program_counter = at;
                        continue;
                    }
                    sync::Flow::Blocked => return,
                },
                Some(Step::IfSelected { queue, skip_to }) => {
                    if !self.pcbs[index].selected.contains(&queue) {
                        self.pcbs[index].program_counter = skip_to;
                        continue;
                    }
                }
                Some(Step::JoinQueue(queue)) => {
                    if !self.join_queue(pid, on_cpu, queue) {
                        return;
                    }
                }
                Some(Step::Sleep { ticks }) => return self.sleep(pid, on_cpu, ticks),
                Some(Step::Read(variable)) => {
                    let value = self.variable(pid, variable);
                    self.pcbs[index].register = value;
                    self.emit(Event::Read {
                        pid,
                        variable,
                        value,
                    });
                }
                Some(Step::Write(variable)) => {
                    let value = self.pcbs[index].register;
                    self.set_variable(pid, variable, value);
                    self.emit(Event::Write {
                        pid,
                        variable,
                        value,
                    });
                }
                Some(Step::Add(amount)) => {
                    let register = &mut self.pcbs[index].register;
                    *register = register.saturating_add(amount);
                }
                Some(Step::SetReg(value)) => self.pcbs[index].register = value,
                Some(Step::Print(parts)) => {
                    let text = self.print_text(pid, &parts);
                    self.emit(Event::Print { pid, text });
                }
                Some(Step::RepeatStart { count, end }) => {
                    if count == 0 {
                        self.pcbs[index].program_counter = end;
                        continue;
                    }
                    self.pcbs[index].blocks.push(Block::Repeat(count));
                }
                Some(Step::RepeatEnd { start }) => {
                    let pcb = &mut self.pcbs[index];
                    match pcb.blocks.last_mut() {
                        Some(Block::Repeat(left)) if *left > 1 => {
                            *left -= 1;
                            pcb.program_counter = start + 1;
                            continue;
                        }
                        _ => {
                            pcb.blocks.pop();
                        }
                    }
                }
                Some(Step::TryStart { handler }) => {
                    self.pcbs[index].blocks.push(Block::Try { handler });
                }
                Some(Step::TryEnd { end }) => {
                    let pcb = &mut self.pcbs[index];
                    pcb.blocks.pop();
                    pcb.program_counter = end;
                    continue;
                }
                Some(Step::JumpUnless { condition, target }) => {
                    let left = self.operand(pid, &condition.operand);
                    if !condition.comparison.holds_for(left, condition.value) {
                        self.pcbs[index].program_counter = target;
                        continue;
                    }
                }
                Some(Step::Jump { target }) => {
                    self.pcbs[index].program_counter = target;
                    continue;
                }
                Some(Step::Exit { code }) => return self.exit(pid, code, on_cpu),
                None => {
                    if self.finish_pool_task(pid) {
                        self.forget_uncaught(pid);
                        continue;
                    }
                    match self.finish_coroutine(pid, on_cpu) {
                        Some(true) => {
                            self.forget_uncaught(pid);
                            continue;
                        }
                        Some(false) => {
                            self.forget_uncaught(pid);
                            return;
                        }
                        None => return self.program_ended(pid, on_cpu),
                    }
                }
                Some(Step::Coroutine(spec)) => self.create_coroutine(pid, &spec),
                Some(Step::Switch(name)) => {
                    let cost = self.scenario.rules.coroutine_switch_ticks;
                    if self.spend_step_cost(pid, on_cpu, why, cost) {
                        return;
                    }
                    self.pcbs[index].program_counter += 1;
                    self.switch_coroutine(pid, &name);
                    continue;
                }
                Some(Step::Yield) => {
                    let cost = self.scenario.rules.coroutine_switch_ticks;
                    if self.others_ready(pid) {
                        if self.spend_step_cost(pid, on_cpu, why, cost) {
                            return;
                        }
                        self.pcbs[index].program_counter += 1;
                        self.yield_coroutine(pid);
                        continue;
                    }
                }
                Some(Step::Await(name)) => match self.await_coroutine(pid, on_cpu, &name) {
                    None => {}
                    Some(true) => continue,
                    Some(false) => return,
                },
                Some(Step::AsyncWait { ticks, .. }) => {
                    let cost = self.scenario.rules.coroutine_switch_ticks;
                    if self.spend_step_cost(pid, on_cpu, why, cost) {
                        return;
                    }
                    if self.park_coroutine(pid, on_cpu, ticks) {
                        continue;
                    }
                    return;
                }
                Some(Step::PoolWork(pool)) => {
                    if self.pool_work(pid, pool, on_cpu) {
                        continue;
                    }
                    return;
                }
                Some(Step::PoolResults(pool)) => {
                    if self.pool_results(pid, pool, on_cpu) {
                        continue;
                    }
                    return;
                }
                Some(Step::Apply { pool, task }) => {
                    if !self.start_pool(pid, pool, on_cpu, why) {
                        return;
                    }
                    if self.submit_apply(pid, pool, &task) {
                        self.pcbs[index].remaining_ticks = 0;
                        return self.block(pid, on_cpu, BlockReason::PoolTasks { pool });
                    }
                }
                Some(Step::Map {
                    pool,
                    count,
                    task,
                    list,
                }) => {
                    if !self.start_pool(pid, pool, on_cpu, why) {
                        return;
                    }
                    if self.submit_map(pid, pool, &task, count, list) {
                        self.pcbs[index].remaining_ticks = 0;
                        return self.block(pid, on_cpu, BlockReason::PoolTasks { pool });
                    }
                }
                Some(Step::ApplyAsync {
                    pool,
                    task,
                    callback,
                    result,
                }) => {
                    if !self.start_pool(pid, pool, on_cpu, why) {
                        return;
                    }
                    self.submit_async(pid, pool, &task, callback.as_ref(), result.as_deref());
                }
                Some(Step::WrongEnd { pipe, sending }) => {
                    self.emit(Event::WrongEnd { pid, pipe, sending })
                }
                Some(Step::Input(into)) => self.input(pid, into),
                Some(Step::Signal { child, sig }) => self.signal_child(pid, &child, sig),
                Some(Step::OnSignal { sig, handler }) => self.install_handler(pid, sig, handler),
                Some(Step::HandlerReturn) => {
                    self.leave_handler(pid);
                    continue;
                }
                Some(Step::GetResult(name)) => {
                    if !self.get_result(pid, &name, on_cpu) {
                        return;
                    }
                }
                Some(Step::Return(value)) => {
                    let value = match value {
                        ReturnValue::Register => self.pcbs[index].register,
                        ReturnValue::Number(number) => number,
                    };
                    self.return_from_task(pid, value);
                    self.pcbs[index].program_counter = self.programs[index].len();
                    continue;
                }
                Some(Step::ClosePool(pool)) => self.close_pool(pool),
                Some(Step::JoinPool(pool)) => {
                    if self.start_join_pool(pid, pool) {
                        self.pcbs[index].remaining_ticks = 0;
                        return self.block(pid, on_cpu, BlockReason::JoinPool { pool });
                    }
                }
            }
            self.pcbs[index].program_counter += 1;
        }
    }

    /// `pid`, off the CPU, goes to the ready queue where its program stands; a step that takes
    /// no time waits for its dispatch (`rules.zero_time: on_cpu`). The policy sees the CPU
    /// burst it reaches next.
    pub(super) fn make_ready(&mut self, pid: Pid, why: ReadyReason) {
        self.ready_at_step(pid);
        self.enqueue(pid, why);
    }

    /// `pid` becomes ready where its program stands, not yet queued (see `make_ready`).
    pub(super) fn ready_at_step(&mut self, pid: Pid) {
        let index = pid.index();
        let pc = self.pcbs[index].program_counter;
        let (burst, pending) = match self.programs[index].get(pc) {
            Some(&(Step::Cpu { ticks } | Step::Bytecode { ticks })) => (ticks, false),
            _ => (self.next_burst(pid), true),
        };
        let pcb = &mut self.pcbs[index];
        pcb.remaining_ticks = burst;
        pcb.steps_pending = pending;
        self.set_state(pid, ProcState::Ready);
    }

    /// The CPU burst `pid` reaches next, in program order, after the steps before it that take
    /// no time and cannot wait: what SJF, SRTF and HRRN compare while it waits in the ready
    /// queue. 0 when a step that may wait, a branch on a value or the program's end comes
    /// first (the value it branches on may change before it runs).
    fn next_burst(&self, pid: Pid) -> u64 {
        let index = pid.index();
        let program = &self.programs[index];
        let mut pc = self.pcbs[index].program_counter;
        // Each open block, innermost last, as `run_program` keeps them.
        let mut blocks: Vec<Block> = self.pcbs[index].blocks.clone();
        for _ in 0..NEXT_BURST_STEPS {
            match program.get(pc) {
                Some(&(Step::Cpu { ticks } | Step::Bytecode { ticks })) => return ticks,
                Some(
                    Step::Read(_)
                    | Step::Write(_)
                    | Step::Add(_)
                    | Step::SetReg(_)
                    | Step::Print(_)
                    | Step::Release { .. }
                    | Step::SetEvent(_)
                    | Step::ClearEvent(_)
                    | Step::TaskDone(_)
                    | Step::Kill { .. },
                ) => pc += 1,
                Some(&Step::RepeatStart { count, end }) => {
                    if count == 0 {
                        pc = end;
                    } else {
                        blocks.push(Block::Repeat(count));
                        pc += 1;
                    }
                }
                Some(&Step::RepeatEnd { start }) => match blocks.last_mut() {
                    Some(Block::Repeat(left)) if *left > 1 => {
                        *left -= 1;
                        pc = start + 1;
                    }
                    _ => {
                        blocks.pop();
                        pc += 1;
                    }
                },
                Some(&Step::Jump { target }) => pc = target,
                Some(&Step::TryStart { handler }) => {
                    blocks.push(Block::Try { handler });
                    pc += 1;
                }
                Some(&Step::TryEnd { end }) => {
                    blocks.pop();
                    pc = end;
                }
                _ => return 0,
            }
        }
        0
    }

    /// Before a `fork` or `spawn` whose rule gives it a CPU cost: unless that cost is spent,
    /// the thread spends it as a CPU burst (returns true); the step is carried out at the
    /// burst's end.
    pub(super) fn spend_step_cost(
        &mut self,
        pid: Pid,
        on_cpu: Option<OnCpu>,
        why: ReadyReason,
        cost: u64,
    ) -> bool {
        let pcb = &mut self.pcbs[pid.index()];
        if cost == 0 || pcb.step_cost_paid {
            pcb.step_cost_paid = false;
            return false;
        }
        pcb.remaining_ticks = cost;
        if on_cpu.is_none() {
            self.set_state(pid, ProcState::Ready);
            self.enqueue(pid, why);
        }
        true
    }

    /// The CPU burst of `pid`'s current step is over: a `cpu` step is done; a step with a
    /// CPU cost (`fork`, `spawn`, a pool's first use) has spent it and is carried out next.
    pub(super) fn step_done(&mut self, pid: Pid) {
        let index = pid.index();
        let pcb = &self.pcbs[index];
        match self.programs[index].get(pcb.program_counter) {
            Some(Step::Bytecode { .. }) => {
                self.gil_leave_bytecode(pid);
                self.pcbs[index].program_counter += 1
            }
            Some(Step::Cpu { .. }) | None => self.pcbs[index].program_counter += 1,
            Some(_) => self.pcbs[index].step_cost_paid = true,
        }
    }

    /// What an `if` of the thread `pid` compares: `None` for the exit code of a child that has
    /// not exited.
    fn operand(&self, pid: Pid, operand: &Operand) -> Option<i64> {
        let index = pid.index();
        let process = self.pcbs[index].process;
        // The child a name stands for: the last one forked under it, as a Python variable
        // holds the last Process assigned to it.
        let child = |name: &str| {
            self.roster
                .iter()
                .filter(|entry| entry.name == name && entry.process == entry.pid)
                .filter(|entry| self.roster.get(entry.creator).map(|c| c.process) == Some(process))
                .map(|entry| entry.pid)
                .last()
        };
        Some(match operand {
            Operand::Register => self.pcbs[index].register,
            Operand::Variable(variable) => self.variable(pid, *variable),
            Operand::Children => self.families.children(process).count() as i64,
            Operand::ChildAlive(name) => {
                i64::from(child(name).is_some_and(|c| !self.pcbs[c.index()].state.has_exited()))
            }
            Operand::ChildExitCode(name) => {
                return child(name)
                    .and_then(|c| self.pcbs[c.index()].exit_code)
                    .map(i64::from);
            }
            Operand::ThreadAlive(name) => {
                i64::from(self.threads.spawned(process).iter().any(|&t| {
                    self.pcbs[t.index()].name == *name && !self.pcbs[t.index()].state.has_exited()
                }))
            }
            Operand::QueueSize(queue) => self.sync.queue_len(*queue) as i64,
            Operand::QueueEmpty(queue) => i64::from(self.sync.queue_len(*queue) == 0),
            Operand::QueueFull(queue) => i64::from(
                self.scenario.sync.queues[queue.0]
                    .capacity
                    .is_some_and(|capacity| self.sync.queue_len(*queue) >= capacity),
            ),
            Operand::EventIsSet(flag) => i64::from(self.sync.is_set(*flag)),
            Operand::SemaphoreValue(resource) => self.sync.free(*resource) as i64,
            Operand::LockLocked(resource) => i64::from(self.sync.free(*resource) == 0),
        })
    }

    /// `input`: the next line of standard input, as a number, into the register or `into`.
    /// Under `runtime: python` a process `multiprocessing` started (a forked child) reads a
    /// closed stdin; under posix a child shares its parent's.
    fn input(&mut self, pid: Pid, into: Option<Variable>) {
        let process = self.pcbs[pid.index()].process;
        let forked = self
            .roster
            .get(process)
            .is_some_and(|entry| entry.creator != Pid::INIT);
        let failure = if forked && self.scenario.runtime == Runtime::Python {
            Some(InputFailure::Closed)
        } else if let Some(line) = self.scenario.stdin.get(self.stdin_read) {
            self.stdin_read += 1;
            match line.trim().parse::<i64>() {
                Ok(value) => {
                    match into {
                        Some(variable) => self.set_variable(pid, variable, value),
                        None => self.pcbs[pid.index()].register = value,
                    }
                    self.emit(Event::Input { pid, value });
                    None
                }
                Err(_) => Some(InputFailure::NotANumber { line: line.clone() }),
            }
        } else {
            Some(InputFailure::AtEnd)
        };
        if let Some(failure) = failure {
            self.emit(Event::InputFailed { pid, failure });
        }
    }

    /// The value of `variable` as the thread `pid` sees it.
    pub(super) fn variable(&self, pid: Pid, variable: Variable) -> i64 {
        match variable {
            Variable::Shared(index) => self.shared[index],
            Variable::Global(index) => {
                let process = self.pcbs[pid.index()].process;
                self.globals.get(&process).map_or(0, |values| values[index])
            }
        }
    }

    fn set_variable(&mut self, pid: Pid, variable: Variable, value: i64) {
        match variable {
            Variable::Shared(index) => self.shared[index] = value,
            Variable::Global(index) => {
                let process = self.pcbs[pid.index()].process;
                if let Some(values) = self.globals.get_mut(&process) {
                    values[index] = value;
                }
            }
        }
    }

    /// A `print` text with its `{...}` filled in for the thread `pid`.
    fn print_text(&self, pid: Pid, parts: &[PrintPart]) -> String {
        let mut text = String::new();
        for part in parts {
            match part {
                PrintPart::Text(literal) => text.push_str(literal),
                PrintPart::Register => text.push_str(&self.pcbs[pid.index()].register.to_string()),
                PrintPart::Variable(variable) => {
                    text.push_str(&self.variable(pid, *variable).to_string())
                }
                PrintPart::Pid => text.push_str(&self.pcbs[pid.index()].process.to_string()),
                PrintPart::Tid => text.push_str(&pid.to_string()),
                PrintPart::List(name) => text.push_str(&self.list_text(pid, name)),
                PrintPart::TaskIndex => text.push_str(&self.task_index(pid).to_string()),
                PrintPart::Question(operand) => {
                    let answer = self.operand(pid, operand);
                    match answer {
                        None => text.push_str("None"),
                        Some(0) if operand.is_truth() => text.push_str("False"),
                        Some(_) if operand.is_truth() => text.push_str("True"),
                        Some(value) => text.push_str(&value.to_string()),
                    }
                }
            }
        }
        text
    }

    /// `pid`'s wait is over (`reason`): it leaves its line (and its timer) and goes on at this
    /// instant, once the current action is done, past its blocking step or at it again.
    pub(super) fn wake(&mut self, pid: Pid, reason: WakeReason, go_on: GoOn) {
        self.cancel_timeout(pid);
        self.emit(Event::Wake { pid, reason });
        // No longer waiting, so that a second event at this instant cannot wake it twice; its
        // program settles its state.
        self.set_state(pid, ProcState::Ready);
        if go_on == GoOn::PastStep {
            self.pcbs[pid.index()].program_counter += 1;
        }
        self.pending.push_back((pid, ReadyReason::Woken));
    }

    /// `pid` leaves its CPU (if it has one) and blocks: it joins the back of the line of what
    /// it waits for.
    pub(super) fn block(&mut self, pid: Pid, on_cpu: Option<OnCpu>, reason: BlockReason) {
        self.block_for(pid, on_cpu, reason, waits::Want::Wake);
    }

    /// [`Self::block`], wanting `want` in its line (instances, room, service, ...).
    pub(super) fn block_for(
        &mut self,
        pid: Pid,
        on_cpu: Option<OnCpu>,
        reason: BlockReason,
        want: waits::Want,
    ) {
        let cpu = on_cpu.map(|on| on.cpu);
        if let Some(cpu) = cpu {
            self.cpus[cpu.0].occupant = None;
        }
        self.set_state(pid, ProcState::Blocked { reason });
        let process = self.pcbs[pid.index()].process;
        self.waits
            .enter(pid, waits::WaitOn::of_block(reason, pid, process), want);
        self.emit(Event::Block { pid, cpu, reason });
        if let Some(OnCpu {
            quantum_left,
            quantum_expired,
            ..
        }) = on_cpu
        {
            let procs = ProcTable {
                pcbs: &self.pcbs,
                now: self.now,
            };
            let events = self.policy.descheduled(
                pid,
                quantum_left,
                Deschedule::Blocked { quantum_expired },
                &procs,
            );
            self.emit_all(events);
            self.refresh_level(pid);
        }
        self.gil_release(pid);
    }

    /// `pid` enters the ready queue; under `same_instant: shuffled` it joins the instant's
    /// batch, which enters in a drawn order (`flush_ready_batch`).
    pub(super) fn enqueue(&mut self, pid: Pid, why: ReadyReason) {
        if self.choices.shuffled() {
            return self.choices.ready_batch.push((pid, why));
        }
        self.enqueue_now(pid, why);
    }

    pub(super) fn enqueue_now(&mut self, pid: Pid, why: ReadyReason) {
        let procs = ProcTable {
            pcbs: &self.pcbs,
            now: self.now,
        };
        let events = self.policy.enqueue(pid, why, &procs);
        self.emit_all(events);
        self.refresh_level(pid);
    }

    pub(super) fn refresh_level(&mut self, pid: Pid) {
        self.pcbs[pid.index()].level = self.policy.level(pid);
    }

    /// Charges the time since the last state change to the counter of the current state.
    pub(super) fn charge(&mut self, pid: Pid) {
        let now = self.now;
        let pcb = &mut self.pcbs[pid.index()];
        let elapsed = now.since(pcb.state_since);
        match pcb.state {
            ProcState::Ready => pcb.ready_ticks += elapsed,
            ProcState::Running { cpu } => {
                pcb.cpu_ticks += elapsed;
                // With the cache model a tick may do more than a tick of work.
                let work = match &mut self.caches {
                    Some(caches) if elapsed > 0 => caches.ran(cpu, pid, elapsed),
                    _ => elapsed,
                };
                pcb.remaining_ticks = pcb.remaining_ticks.saturating_sub(work);
                // It first ran when it first executed a tick, not when it was dispatched (a
                // process preempted the instant its context switch ends never ran then).
                if elapsed > 0 {
                    pcb.first_run.get_or_insert(pcb.state_since);
                }
            }
            ProcState::Blocked { .. } => pcb.blocked_ticks += elapsed,
            ProcState::GilWait => pcb.gil_wait_ticks += elapsed,
            ProcState::New | ProcState::Zombie | ProcState::Terminated => {}
        }
        pcb.state_since = now;
    }

    /// Moves `pid` to `state`. A thread that was waiting leaves its line, wherever it is: a
    /// wait ends with the state, whatever ends it.
    pub(super) fn set_state(&mut self, pid: Pid, state: ProcState) {
        self.charge(pid);
        if matches!(
            self.pcbs[pid.index()].state,
            ProcState::Blocked { .. } | ProcState::GilWait
        ) && self.waits.line_of(pid).is_some()
        {
            self.leave_wait(pid);
        }
        let pcb = &mut self.pcbs[pid.index()];
        let exits = state.has_exited() && !pcb.state.has_exited();
        pcb.state = state;
        if exits {
            // Its level as it exits stays in its PCB (an MLFQ boost settles levels lazily).
            self.policy.exited(pid);
            self.refresh_level(pid);
            self.job_done(pid);
        }
    }

    /// Logs an event. Past the event limit nothing more is logged (one event past it marks
    /// the run as over), so a cascade of zero-time steps cannot grow the log without bound.
    pub(super) fn emit(&mut self, event: Event) {
        self.note_raise(&event);
        if self.events_logged > self.event_limit {
            return;
        }
        self.events_logged += 1;
        self.roster.record(&event);
        self.log.push(TimedEvent {
            time: self.now,
            event,
        });
        // The state after the events asked for: the engine changes its state, then logs
        // the change, so the next change has not begun.
        if self
            .capture
            .as_ref()
            .is_some_and(|c| c.snapshot.is_none() && c.events == self.events_logged)
        {
            let snapshot = self.snapshot();
            if let Some(capture) = &mut self.capture {
                capture.snapshot = Some(snapshot);
            }
        }
        if self.log.len() >= SINK_BATCH && self.sink.is_some() {
            self.flush_to_sink();
        }
    }

    pub(super) fn emit_all(&mut self, events: impl IntoIterator<Item = Event>) {
        for event in events {
            self.emit(event);
        }
    }
}
