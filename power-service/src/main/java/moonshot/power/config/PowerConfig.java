package moonshot.power.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** power-service's business settings ({@code moonshot.power.*}): one deadline per kind of step. */
@ConfigMapping(prefix = "moonshot.power")
public interface PowerConfig {

    /** How long a graceful shutdown may take before the node is powered off hard. */
    @WithDefault("PT2M")
    Duration shutdownGrace();

    /** How long a hard power-off may take to be observed OFF. */
    @WithDefault("PT1M")
    Duration powerOffTimeout();

    /** How long a power-on may take to be observed ON. */
    @WithDefault("PT2M")
    Duration powerOnTimeout();

    /** How long a powered-on CONTROLLER or BAREMETAL may take to be Deployed. */
    @WithDefault("PT30M")
    Duration deployedTimeout();

    /** How long the hypervisor may take to stop (or start) answering after its power was requested. */
    @WithDefault("PT15M")
    Duration hypervisorTimeout();

    /** How often the hypervisor is checked and a readiness probe asked. */
    @WithDefault("PT5S")
    Duration checkInterval();

    /**
     * What the executor gets on top of a command's own timeout to deliver its answer: the executor waits up to the
     * timeout it was given, so the step's deadline is that timeout plus this margin.
     */
    @WithDefault("PT30S")
    Duration answerMargin();

    /** Connect and answer timeout of one readiness probe. */
    @WithDefault("PT2S")
    Duration probeTimeout();

    /** How often deadlines, checks and probes are looked at (a Quarkus scheduler period such as {@code 1s}). */
    @WithDefault("1s")
    String tick();
}
