package moonshot.stack;

import moonshot.infra.InfrastructureOptions;
import moonshot.infra.LocalInfrastructure;
import moonshot.lab.HostSpec;
import moonshot.lab.HypervisorLab;
import moonshot.contract.Topics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The whole system on one machine: a real Kafka broker and PostgreSQL (local-infra), the hypervisor lab with the
 * seed's two hosts, and the four services as separate JVMs from their packaged jars, with the seed's inventory
 * registered over REST. Used by ./run.sh and by the end-to-end tests.
 */
public final class LocalStack implements AutoCloseable {

    public static final List<String> SERVICES = List.of("inventory", "scheduler", "executor", "power");
    public static final String KEY_FILE = "id_lab";

    private final LocalInfrastructure infrastructure;
    private final HypervisorLab lab;
    private final Map<String, ServiceProcess> services;
    private final DashboardStandIn dashboard;

    private LocalStack(LocalInfrastructure infrastructure, HypervisorLab lab, Map<String, ServiceProcess> services,
                       DashboardStandIn dashboard) {
        this.infrastructure = infrastructure;
        this.lab = lab;
        this.services = services;
        this.dashboard = dashboard;
    }

    public static LocalStack start(StackOptions options) throws Exception {
        LocalInfrastructure infrastructure = LocalInfrastructure.start(new InfrastructureOptions(
                options.workDir().resolve("infra"), options.kafkaPort(), options.postgresPort(),
                LocalInfrastructure.SERVICE_DATABASES));
        HypervisorLab lab = null;
        Map<String, ServiceProcess> services = new LinkedHashMap<>();
        try {
            infrastructure.createTopics(Topics.INVENTORY_EVENTS, Topics.EXECUTOR_COMMANDS, Topics.EXECUTOR_EVENTS,
                    Topics.POWER_COMMANDS, Topics.POWER_EVENTS, Topics.MAINTENANCE, Topics.MAINTENANCE_STATUS,
                    Topics.NODE_STATUS);
            lab = HypervisorLab.start(options.workDir().resolve("lab"));
            for (HostSpec seed : HypervisorLab.seedHosts()) {
                lab.addHost(new HostSpec(seed.name(), seed.kind(), seed.sshPort(), seed.vms(),
                        options.labBackupDuration(), options.labPowerDelay()));
            }
            // first replicas on the first four ports (8081–8084), further ones after them (8085, …); 0 = free ports
            List<String> names = new ArrayList<>(SERVICES);
            for (String service : SERVICES) {
                for (int replica = 2; replica <= options.replicasOf(service); replica++) {
                    names.add(replicaName(service, replica));
                }
            }
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                ports.put(names.get(i), options.firstServicePort() == 0 ? freePort() : options.firstServicePort() + i);
            }
            for (String service : SERVICES) {
                for (int replica = 1; replica <= options.replicasOf(service); replica++) {
                    String name = replicaName(service, replica);
                    Map<String, String> settings = settings(service, infrastructure, lab, options);
                    if (service.equals("scheduler")) {
                        // the restore planner asks the executor to check artifacts before anything is powered off
                        settings.put("moonshot.scheduler.executor.url", "http://localhost:" + ports.get("executor"));
                    }
                    if (service.equals("executor")) {
                        settings.put("moonshot.executor.instance-id", service + "-" + replica);
                    }
                    services.put(name, new ServiceProcess(name + "-service",
                            options.projectRoot().resolve(service + "-service/target/quarkus-app/quarkus-run.jar"),
                            ports.get(name), settings, options.workDir().resolve("logs/" + name + "-service.log")));
                }
            }
            launchAll(services.values());
            // mh-kvm's nodes report Deployed by dashboard events; mh-esxi's answer readiness probes (SeedInventory)
            var dashboard = new DashboardStandIn(infrastructure.kafkaBootstrapServers());
            dashboard.report(lab.host("kvm-01"), "mh-kvm");
            var stack = new LocalStack(infrastructure, lab, services, dashboard);
            if (options.seedInventory()) {
                SeedInventory.register(stack.url("inventory"), lab);
                stack.awaitKnownEverywhere(SeedInventory.HOSTS, Duration.ofMinutes(2));
            }
            return stack;
        } catch (Exception | Error e) {
            services.values().forEach(ServiceProcess::stop);
            if (lab != null) {
                lab.close();
            }
            infrastructure.close();
            throw e;
        }
    }

    /** Launches every service at once (they start in parallel) and waits until each answers ready. */
    private static void launchAll(Iterable<ServiceProcess> services) throws IOException {
        Instant launchedAt = Instant.now();
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (ServiceProcess service : services) {
            service.launch();
            ready.add(CompletableFuture.runAsync(() -> service.awaitReady(launchedAt, Duration.ofMinutes(3))));
        }
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
    }

    private static Map<String, String> settings(String service, LocalInfrastructure infrastructure, HypervisorLab lab,
                                                StackOptions options) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("kafka.bootstrap.servers", infrastructure.kafkaBootstrapServers());
        settings.put("quarkus.datasource.jdbc.url", infrastructure.jdbcUrl(service));
        settings.put("quarkus.datasource.username", infrastructure.username());
        settings.put("quarkus.datasource.password", infrastructure.password());
        if (service.equals("scheduler") && options.settableClock()) {
            settings.put("moonshot.clock.settable", "true");
        }
        if (service.equals("power") && options.settableClock()) {
            // tests wait for timeouts on purpose: keep them short
            settings.put("moonshot.power.deployed-timeout", "PT20S");
            settings.put("moonshot.power.shutdown-grace", "PT10S");
        }
        if (service.equals("executor")) {
            settings.put("moonshot.executor.ssh.key-dir", lab.clientPrivateKey().getParent().toString());
            if (options.settableClock()) {
                // tests kill executors on purpose: a gone one's work is taken over within seconds
                settings.put("moonshot.executor.lease.duration", "PT10S");
                settings.put("moonshot.executor.lease.heartbeat", "PT2S");
            }
        }
        return settings;
    }

    /**
     * Waits until every service has applied {@code hosts}: inventory lists them, and scheduler, executor and
     * power-service have each taken inventory's announcement (their {@code /known-hosts}). Only then is the stack
     * ready for work that names the hosts: a service that has not applied a host yet would refuse it, and the
     * scheduler would miss the first slots of its policies.
     */
    public void awaitKnownEverywhere(Collection<String> hosts, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("inventory", "/management-hosts");
        for (String service : List.of("scheduler", "executor", "power")) {
            endpoints.put(service, "/known-hosts");
        }
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        while (true) {
            missing.clear();
            endpoints.forEach((service, path) -> {
                Set<String> known = KnownHosts.activeNames(url(service) + path);
                Set<String> lacking = new TreeSet<>(hosts);
                lacking.removeAll(known);
                if (!lacking.isEmpty()) {
                    missing.put(service, lacking);
                }
            });
            if (missing.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("after " + timeout + " these services have not applied these hosts "
                        + "from inventory: " + missing);
            }
            Api.sleep(200);
        }
    }

    public LocalInfrastructure infrastructure() {
        return infrastructure;
    }

    public HypervisorLab lab() {
        return lab;
    }

    public ServiceProcess service(String name) {
        ServiceProcess process = services.get(name);
        if (process == null) {
            throw new IllegalArgumentException("no service '" + name + "', expected one of " + services.keySet());
        }
        return process;
    }

    /** {@code executor} for the first replica, {@code executor-2} for the second, … */
    public static String replicaName(String service, int replica) {
        return replica == 1 ? service : service + "-" + replica;
    }

    /** Every replica of {@code service}, the first one first. */
    public List<ServiceProcess> replicas(String service) {
        List<ServiceProcess> replicas = new ArrayList<>();
        for (int replica = 1; services.containsKey(replicaName(service, replica)); replica++) {
            replicas.add(services.get(replicaName(service, replica)));
        }
        return replicas;
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services.values());
    }

    public String url(String service) {
        return service(service).url();
    }

    @Override
    public void close() {
        services.values().parallelStream().forEach(ServiceProcess::stop);
        dashboard.close();
        lab.close();
        infrastructure.close();
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
