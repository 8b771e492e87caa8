package com.foobar.stack.control;

/**
 * One component as the control API shows it.
 *
 * @param name      as in the startup table ({@code web-1}, {@code balancer}, {@code db-primary}, ...)
 * @param state     {@code starting}, {@code running}, {@code stopped} (on purpose), {@code exited} (on its own)
 * @param pid       the process running it now, -1 when none
 * @param restarts  times a crash restart brought it back
 * @param controllable whether it can be stopped and started on its own through the API
 */
public record ComponentView(String name, String state, long pid, int restarts, boolean controllable) {
}
