package com.foobar.devdb.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class or method only where Testcontainers can start containers of the given images: a
 * Docker engine answers, and each image is in it or can be pulled. Elsewhere the test is skipped, within seconds,
 * with one line saying why, e.g. {@code mysql:8.4 is not in the local Docker engine and cannot be pulled: ...}.
 *
 * <p>Use it instead of {@code @Testcontainers(disabledWithoutDocker = true)}: that asks
 * {@code DockerClientFactory.isDockerAvailable()}, which starts Testcontainers' Ryuk container and, on a machine with
 * Docker but no registry, spends minutes retrying its pull before the tests fail.
 * See {@link com.foobar.devdb.DockerImages}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(DockerImageCondition.class)
public @interface EnabledIfDockerImage {
    /** The images the test starts, e.g. {@code Engine.MYSQL_IMAGE}. */
    String[] value();
}
