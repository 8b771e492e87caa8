package com.foobar.stack;

import com.foobar.stack.control.ComponentView;
import com.foobar.stack.control.Components;
import com.foobar.stack.control.ControlException;
import com.foobar.stack.process.ChildStartException;
import com.foobar.stack.process.ProcessSupervisor;
import com.foobar.stack.process.SupervisedProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The stack's components for its control API: the web servers and the balancer can be stopped and started on their
 * own; the database servers are listed (with their current pids, found among the devdb JVM's processes) but not
 * controlled, since every web server depends on them and devdb owns their lives.
 */
final class StackComponents implements Components {

    private final ProcessSupervisor supervisor;
    private final Supplier<List<SupervisedProcess>> processes;
    private final Supplier<List<String[]>> databaseNodes;
    private final Supplier<Boolean> closing;

    /**
     * @param processes     the supervised children in table order (devdb, web servers, balancer)
     * @param databaseNodes each database node as {name, port}, e.g. {"db-primary", "13306"}
     */
    StackComponents(ProcessSupervisor supervisor, Supplier<List<SupervisedProcess>> processes,
                    Supplier<List<String[]>> databaseNodes, Supplier<Boolean> closing) {
        this.supervisor = supervisor;
        this.processes = processes;
        this.databaseNodes = databaseNodes;
        this.closing = closing;
    }

    @Override
    public List<ComponentView> list() {
        List<ComponentView> views = new ArrayList<>();
        for (SupervisedProcess p : processes.get()) {
            views.add(view(p));
            if (p.name().equals("devdb")) {
                List<ProcessHandle> servers = p.handle().map(h -> h.descendants().toList()).orElse(List.of());
                for (String[] node : databaseNodes.get()) {
                    String pid = Stack.pidListeningOn(servers, Integer.parseInt(node[1]));
                    views.add(new ComponentView(node[0], pid.equals("-") ? "exited" : "running",
                            pid.equals("-") ? -1 : Long.parseLong(pid), 0, false));
                }
            }
        }
        return views;
    }

    @Override
    public ComponentView stop(String name) throws ControlException {
        SupervisedProcess p = controllable(name);
        if (p.state() == SupervisedProcess.State.STOPPED) {
            throw new ControlException(409, name + " is stopped already");
        }
        supervisor.stop(p);
        return view(p);
    }

    @Override
    public ComponentView start(String name) throws ControlException {
        SupervisedProcess p = controllable(name);
        if (p.isAlive()) {
            throw new ControlException(409, name + " is " + state(p) + " already (pid " + p.pid() + ")");
        }
        try {
            supervisor.startAgain(p);
        } catch (ChildStartException e) {
            if (closing.get()) {
                throw new ControlException(503, "the stack is stopping");
            }
            throw new ControlException(500, firstLine(e.getMessage()) + " (see " + p.spec().logFile() + ")");
        }
        return view(p);
    }

    private SupervisedProcess controllable(String name) throws ControlException {
        if (closing.get()) {
            throw new ControlException(503, "the stack is stopping");
        }
        for (SupervisedProcess p : processes.get()) {
            if (p.name().equals(name)) {
                if (!p.spec().restartable()) {
                    throw new ControlException(409, name + " cannot be stopped or started on its own: the web "
                            + "servers depend on it; stop the stack instead");
                }
                return p;
            }
        }
        boolean listed = list().stream().anyMatch(v -> v.name().equals(name));
        throw listed
                ? new ControlException(409, name + " is run by devdb and cannot be stopped or started on its own")
                : new ControlException(404, "no such component: " + name);
    }

    private static ComponentView view(SupervisedProcess p) {
        return new ComponentView(p.name(), state(p), p.pid(), p.restarts(), p.spec().restartable());
    }

    private static String state(SupervisedProcess p) {
        return p.state().name().toLowerCase(Locale.ROOT);
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
