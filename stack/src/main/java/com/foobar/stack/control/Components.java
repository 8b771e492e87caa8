package com.foobar.stack.control;

import java.util.List;

/**
 * What the control API may see and do: the stack's components by name. The stack implements it over its process
 * supervisor; the API only translates HTTP to these calls.
 */
public interface Components {

    /** Every component, in the order of the startup table. */
    List<ComponentView> list();

    /**
     * Stops one component on purpose: SIGTERM, its grace period, then SIGKILL. It stays down (it is not a crash, and
     * no crash restart brings it back) until {@link #start}.
     *
     * @throws ControlException with the status to answer and a one-line reason
     */
    ComponentView stop(String name) throws ControlException;

    /** Starts a stopped (or exited) component again and returns once it is ready. */
    ComponentView start(String name) throws ControlException;
}
