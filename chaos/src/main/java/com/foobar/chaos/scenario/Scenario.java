package com.foobar.chaos.scenario;

import com.foobar.chaos.stacks.Target;
import java.util.Optional;

/** One way of breaking the stack under load, and the goal it must meet. */
public interface Scenario {

    /** Short, for the command line and file names: {@code kill-web}. */
    String name();

    /** The goal, as the report's table states it. */
    String goal();

    /** Empty when the target has what this scenario breaks; else why not ("not available in this stack: ..."). */
    Optional<String> unavailable(Target target);

    /** Runs it against the target, which it leaves running (recovered, as far as the target recovers). */
    ScenarioResult run(ScenarioContext context) throws Exception;
}
