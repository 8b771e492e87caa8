package com.foobar.chaos.scenario;

import com.foobar.chaos.load.LoadProfile;
import com.foobar.chaos.stacks.Target;
import java.util.function.Consumer;

/**
 * What every scenario gets: the target, the load, the phases, the products its orders are placed for, and where to
 * tell its progress.
 */
public record ScenarioContext(Target target, LoadProfile profile, Phases phases, java.util.List<Long> productIds,
                              Consumer<String> progress) {
}
