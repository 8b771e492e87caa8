package com.foobar.netns;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code netns/run}: builds the topology, starts the shop in it, prints the addresses and commands to try, and keeps
 * it up until Ctrl-C, which takes everything down again.
 */
public final class NetnsMain {
    private NetnsMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: NetnsMain BALANCER_JAR WEBAPP_JAR (netns/run passes them)");
            System.exit(2);
        }
        String reason = Requirements.unmetReason();
        if (reason != null) {
            System.err.println("netns: " + reason);
            System.exit(1);
        }
        Plan plan = Plan.forThisProcess();
        Path runDir = Files.createTempDirectory("foobar-netns-");
        Topology topology = Topology.create(plan, System.out);
        Shop shop;
        try {
            shop = Shop.start(topology, Path.of(args[0]), Path.of(args[1]), runDir, System.out);
        } catch (RuntimeException e) {
            topology.close();
            System.err.println("netns: " + e.getMessage() + " (logs kept in " + runDir.resolve("logs") + ")");
            System.exit(1);
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shop.close();
            topology.close();
            Shop.deleteRunDir(runDir);
            done.countDown();
        }, "netns-stop"));
        String c = "ip netns exec " + plan.namespace("client") + " ";
        System.out.println();
        System.out.println("Foobar Stack in network namespaces is up (Ctrl-C removes it, and its run dir " + runDir + ")");
        System.out.println("  virtual IP " + plan.vip() + " held by " + topology.vipHolder()
                + "; lb1 " + plan.address("lb1") + ", lb2 " + plan.address("lb2") + ", web1 " + plan.address("web1")
                + ", web2 " + plan.address("web2") + ", db1 " + plan.address("db1") + ", db2 " + plan.address("db2")
                + ", client " + plan.address("client"));
        System.out.println("Try:");
        System.out.println("  " + c + "curl --cacert " + shop.certificate() + " https://www.foobar.com/api/products");
        System.out.println("  " + c + "curl -i http://www.foobar.com/            # 308 to https");
        System.out.println("  " + c + "curl -m 2 http://" + plan.address("web1") + ":" + Plan.WEB_PORT
                + "/   # refused: web accepts only the balancers");
        System.out.println("  ip netns exec " + plan.namespace("lb1") + " curl -s 127.0.0.1:" + Plan.ADMIN_PORT + "/api/status");
        System.out.println("  ip netns exec " + plan.namespace("lb1") + " nft list ruleset");
        System.out.println("  ip -n " + plan.namespace("lb1") + " -br addr; kill -9 "
                + shop.processes().get("lb1-balancer").pid() + "   # the VIP moves to lb2");
        System.out.println("  logs: " + runDir.resolve("logs"));
        done.await();
    }
}
