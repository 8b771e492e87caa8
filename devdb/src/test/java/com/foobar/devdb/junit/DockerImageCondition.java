package com.foobar.devdb.junit;

import com.foobar.devdb.DockerImages;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates {@link EnabledIfDockerImage}; the answers are {@link DockerImages}', kept for the JVM. A skip's reason goes
 * to JUnit (Surefire writes it in the test's XML report) and to the log, since the console shows only the count.
 */
final class DockerImageCondition implements ExecutionCondition {
    private static final Logger LOG = LoggerFactory.getLogger(DockerImageCondition.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<EnabledIfDockerImage> annotation =
                AnnotationSupport.findAnnotation(context.getElement(), EnabledIfDockerImage.class);
        if (annotation.isEmpty()) {
            return ConditionEvaluationResult.enabled("no @EnabledIfDockerImage");
        }
        for (String image : annotation.get().value()) {
            Optional<String> why = DockerImages.unavailableReason(image);
            if (why.isPresent()) {
                LOG.warn("{} skipped: {}", context.getDisplayName(), why.get());
                return ConditionEvaluationResult.disabled(why.get());
            }
        }
        return ConditionEvaluationResult.enabled(String.join(", ", annotation.get().value()) + " can be run");
    }
}
