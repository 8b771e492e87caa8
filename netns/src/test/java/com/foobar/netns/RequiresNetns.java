package com.foobar.netns;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where {@link Requirements} are met (root, ip, nft, keepalived, curl, openssl), and skips it
 * with the reason otherwise. With {@code FOOBAR_NETNS_REQUIRED=1} (CI sets it) it never skips: the class runs and
 * fails with the reason, so a machine that lost a tool cannot pass as green.
 */
final class RequiresNetns implements ExecutionCondition {
    static final String REQUIRED_ENV = "FOOBAR_NETNS_REQUIRED";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String reason = Requirements.unmetReason();
        if (reason == null) {
            return ConditionEvaluationResult.enabled("root, ip, nft, keepalived, curl and openssl are here");
        }
        if ("1".equals(System.getenv(REQUIRED_ENV))) {
            return ConditionEvaluationResult.enabled(REQUIRED_ENV + "=1: runs (and fails) although " + reason);
        }
        return ConditionEvaluationResult.disabled("network namespace topology skipped: " + reason);
    }
}
