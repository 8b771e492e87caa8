package com.foobar.docker;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker/Dockerfile: a Maven Wrapper build stage, then JRE-only runtime targets that run as a non-root user with a
 * HEALTHCHECK, copying the jars the module poms really produce.
 */
class DockerfileContractTest {
    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");
    private static final Map<String, String> STAGES = stages();

    @Test
    void buildsWithTheMavenWrapperInAJdkStage() {
        assertThat(STAGES).containsKey("build");
        String build = STAGES.get("build");
        assertThat(build).contains("./mvnw -B").contains("-pl balancer,webapp,db-failover,overview,dns -am package")
                .contains("--mount=type=cache,target=/root/.m2");
        assertThat(StackFiles.read(StackFiles.DOCKERFILE)).contains("ARG JDK_IMAGE=eclipse-temurin:17-jdk")
                .contains("ARG JRE_IMAGE=eclipse-temurin:17-jre");
    }

    @Test
    void copiesEveryModulePomTheReactorLists() {
        String build = STAGES.get("build");
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(StackFiles.read(StackFiles.ROOT.resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (m.find()) {
            modules.add(m.group(1));
        }
        assertThat(modules).isNotEmpty();
        for (String module : modules) {
            assertThat(build).as("the reactor needs %s/pom.xml", module).contains("COPY " + module + "/pom.xml " + module + "/");
        }
    }

    @Test
    void copiesTheJarsTheModulePomsProduce() {
        assertThat(StackFiles.read(StackFiles.ROOT.resolve("balancer/pom.xml"))).contains("<finalName>balancer</finalName>");
        assertThat(StackFiles.read(StackFiles.ROOT.resolve("webapp/pom.xml")))
                .contains("${project.build.directory}/webapp-slim.jar");
        assertThat(StackFiles.read(StackFiles.ROOT.resolve("db-failover/pom.xml")))
                .contains("${project.build.directory}/db-failover.jar");
        assertThat(StackFiles.read(StackFiles.ROOT.resolve("overview/pom.xml")))
                .contains("${project.build.directory}/overview.jar");
        assertThat(STAGES.get("build")).contains("balancer/target/balancer.jar").contains("webapp/target/webapp-slim.jar")
                .contains("db-failover/target/db-failover.jar").contains("overview/target/overview.jar")
                .contains("dns/target/dns.jar");
        assertThat(STAGES.get("balancer")).contains("COPY --from=jars /out/balancer.jar /app/balancer.jar");
        assertThat(STAGES.get("webapp")).contains("COPY --from=jars /out/webapp-slim.jar /app/webapp.jar");
        assertThat(STAGES.get("db-failover")).contains("COPY --from=jars /out/db-failover.jar /app/db-failover.jar");
        assertThat(STAGES.get("overview")).contains("COPY --from=jars /out/overview.jar /app/overview.jar");
        assertThat(STAGES.get("dns")).contains("COPY --from=jars /out/dns.jar /app/dns.jar");
    }

    @Test
    void takesTheJarsFromTheMavenStageByDefaultOrFromTheHostWithJarsHost() {
        assertThat(StackFiles.read(StackFiles.DOCKERFILE)).contains("ARG JARS=build");
        assertThat(STAGES.get("jars-build")).startsWith("FROM scratch AS jars-build").contains("COPY --from=build /out/ /out/");
        assertThat(STAGES.get("jars-host")).startsWith("FROM scratch AS jars-host")
                .contains("COPY balancer/target/balancer.jar webapp/target/webapp-slim.jar db-failover/target/db-failover.jar \\\n"
                        + "     overview/target/overview.jar dns/target/dns.jar /out/");
        assertThat(STAGES.get("jars")).startsWith("FROM jars-${JARS} AS jars");
        // The context sends the jars despite **/target/; the rest of target/ (webapp.jar is 200 MB) stays out.
        assertThat(StackFiles.read(StackFiles.DOCKER.resolve("Dockerfile.dockerignore")).lines().toList())
                .containsSubsequence("**/target/", "!balancer/target/balancer.jar", "!webapp/target/webapp-slim.jar",
                        "!db-failover/target/db-failover.jar", "!overview/target/overview.jar", "!dns/target/dns.jar");
    }

    @Test
    void needsNoFrontendImageFromARegistry() {
        // `# syntax=` makes BuildKit pull its Dockerfile frontend from Docker Hub before anything else.
        assertThat(StackFiles.read(StackFiles.DOCKERFILE)).doesNotContainPattern("(?m)^#\\s*syntax\\s*=");
    }

    @Test
    void runtimeTargetsRunAsANonRootUserWithAHealthcheck() {
        assertThat(STAGES.get("runtime")).startsWith("FROM ${JRE_IMAGE} AS runtime");
        for (String target : List.of("balancer", "webapp", "db-failover")) {
            String stage = STAGES.get(target);
            assertThat(stage).as(target).startsWith("FROM runtime AS " + target);
            Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(stage);
            assertThat(user.find()).as("%s sets USER", target).isTrue();
            assertThat(user.group(1)).as("%s user", target).doesNotStartWith("root").doesNotStartWith("0:").isNotEqualTo("0");
            assertThat(stage).as(target).contains("HEALTHCHECK ").contains("ENTRYPOINT [\"java\"");
            assertThat(stage).as("%s carries no build tools", target).doesNotContain("mvnw").doesNotContain("apt-get install");
        }
        assertThat(StackFiles.read(StackFiles.DOCKER.resolve("Dockerfile.dockerignore"))).contains("**/target/", ".git/");
    }

    /** Stage name (or base image when unnamed) to its text, in order. */
    private static Map<String, String> stages() {
        String text = StackFiles.read(StackFiles.DOCKERFILE);
        Matcher m = FROM.matcher(text);
        List<int[]> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {m.start()});
            names.add(m.group(2) != null ? m.group(2) : m.group(1));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : text.length();
            out.put(names.get(i), text.substring(starts.get(i)[0], end));
        }
        return out;
    }
}
