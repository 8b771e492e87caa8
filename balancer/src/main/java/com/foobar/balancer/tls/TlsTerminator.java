package com.foobar.balancer.tls;

import com.foobar.balancer.config.TlsConfig;
import com.foobar.balancer.events.EventJournal;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.internal.tcnative.SSL;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * TLS termination for one listener: one {@code SslContext} per certificate, the certificate chosen by SNI (the
 * first is the default, also for clients that send no SNI), TLS 1.3 and 1.2 only, TLS 1.2 only with ECDHE and AEAD
 * suites, ALPN as configured. Certificate files are polled; when one changes, all contexts are rebuilt and swapped in
 * at once for new handshakes, while open connections keep the one they negotiated. A broken new file keeps the old
 * certificates and says why.
 *
 * <p>The engine is OpenSSL (BoringSSL through netty-tcnative, Netty's {@code SslProvider.OPENSSL}) where its native
 * library loads, else the JDK's SSLEngine; both get the same protocols and the same cipher list, so a client sees
 * the same policy either way. BoringSSL does the handshake's public-key work and the record encryption in native
 * code, which is where HAProxy and nginx (OpenSSL) spend their TLS time too.
 *
 * <p>Session resumption is on by default, as in HAProxy and nginx: with OpenSSL, stateless session tickets whose
 * keys BoringSSL generates and rotates itself (a new key every two days, the previous one still decrypts) plus
 * Netty's server session cache for TLS 1.2 session ids; with the JDK, its server session cache and its stateless
 * TLS 1.3 tickets. {@code session_resumption: false} makes every connection a full handshake (the bench's
 * new-TLS-connection scenario, like HAProxy's {@code no-tls-tickets} and {@code tune.ssl.cachesize 0}).
 */
public final class TlsTerminator implements AutoCloseable {

    /** Pipeline name of the SNI/TLS handler. */
    public static final String TLS = "tls";
    static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";
    /** The JDK's switch for stateless (ticket) resumption on the server; read once when its TLS classes load. */
    static final String JDK_SERVER_TICKETS = "jdk.tls.server.enableSessionTicketExtension";
    /** How often certificate files are checked for changes. */
    public static final long RELOAD_CHECK_MILLIS = 1000;

    /** TLS 1.3 suites (fixed by the JDK to AEAD ones) and the TLS 1.2 ECDHE+AEAD suites, strongest first. */
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    static {
        // The JDK lets a TLS 1.2 client renegotiate at will, a cheap way to make a server burn CPU (testssl flags
        // it). Read once by the JDK when its server handshake code loads, so it is set before any context exists;
        // an operator's own -D setting wins.
        if (System.getProperty(REJECT_RENEGOTIATION) == null) {
            System.setProperty(REJECT_RENEGOTIATION, "true");
        }
    }

    private final String listener;
    private final List<TlsConfig.Certificate> certificates;
    private final List<String> protocols;
    private final List<String> alpn;
    private final Path caCertificate;
    private final SslProvider provider;
    private final boolean sessionResumption;
    private volatile Mapping<String, SslContext> mapping;
    private volatile List<String> serverNames;
    private List<FileTime> stamps;
    private ScheduledExecutorService watcher;
    private ScheduledFuture<?> watch;
    /** Where reloads are told; stderr until {@link #watch} names the balancer's journal. */
    private EventJournal events = EventJournal.toStderr();

    private TlsTerminator(String listener, List<TlsConfig.Certificate> certificates, List<String> protocols,
            List<String> alpn, Path caCertificate, SslProvider provider, boolean sessionResumption) {
        this.listener = listener;
        this.provider = provider;
        this.sessionResumption = sessionResumption;
        this.certificates = certificates;
        this.protocols = protocols;
        this.alpn = alpn;
        this.caCertificate = caCertificate;
    }

    /**
     * Loads (or, for {@code auto}, makes under {@code dataDir/tls}) the listener's certificates.
     *
     * @param alpn the ALPN protocols to offer, a subset of the configured ones the listener can actually serve
     * @throws TlsSetupException naming the file and the reason
     */
    public static TlsTerminator create(String listener, TlsConfig config, Path dataDir, List<String> alpn) {
        List<TlsConfig.Certificate> certs = config.certificates();
        Path ca = null;
        if (!config.auto().isEmpty()) {
            LocalCertificateAuthority authority = new LocalCertificateAuthority(dataDir.resolve("tls"));
            LocalCertificateAuthority.Issued leaf = authority.ensureLeaf(config.auto());
            certs = List.of(new TlsConfig.Certificate(leaf.cert(), leaf.key()));
            ca = authority.caCertificate().toAbsolutePath();
        }
        SslProvider provider = provider(config.engine());
        if (provider == SslProvider.JDK && !config.sessionResumption()
                && System.getProperty(JDK_SERVER_TICKETS) == null) {
            // Stateless tickets carry the session to the client, so invalidating it on the server (below) would not
            // stop a resumption: the JDK must not issue them. Process-wide, and only effective before its TLS
            // classes load (at startup, as here); an operator's own -D setting wins.
            System.setProperty(JDK_SERVER_TICKETS, "false");
        }
        TlsTerminator t = new TlsTerminator(listener, certs, config.protocols(), List.copyOf(alpn), ca, provider,
                config.sessionResumption());
        t.stamps = t.stamps();
        t.load();
        return t;
    }

    /**
     * The provider for {@code engine}: {@code auto} is OpenSSL where netty-tcnative's native library loads, else the
     * JDK; {@code openssl} where it cannot load fails with the reason.
     */
    static SslProvider provider(String engine) {
        return switch (engine) {
            case TlsConfig.ENGINE_JDK -> SslProvider.JDK;
            case TlsConfig.ENGINE_OPENSSL -> {
                if (!openSslUsable()) {
                    throw new TlsSetupException("engine openssl: OpenSSL (netty-tcnative) cannot load here: "
                            + openSslUnavailable());
                }
                yield SslProvider.OPENSSL;
            }
            default -> openSslUsable() ? SslProvider.OPENSSL : SslProvider.JDK;
        };
    }

    /**
     * Whether netty-tcnative's native library loaded ({@code OpenSsl.isAvailable()}, which catches the load failure)
     * and does what the JDK engine does for us: ALPN and TLS 1.3.
     */
    static boolean openSslUsable() {
        return OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL)
                && SslProvider.isTlsv13Supported(SslProvider.OPENSSL);
    }

    private static String openSslUnavailable() {
        if (OpenSsl.isAvailable()) {
            return "it lacks ALPN or TLS 1.3";
        }
        Throwable cause = OpenSsl.unavailabilityCause();
        while (cause != null && cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause == null ? "unknown reason" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** The engine in use: {@code openssl} or {@code jdk}. */
    public String engine() {
        return provider == SslProvider.JDK ? TlsConfig.ENGINE_JDK : TlsConfig.ENGINE_OPENSSL;
    }

    /** Whether clients may resume sessions. */
    public boolean sessionResumption() {
        return sessionResumption;
    }

    /**
     * One line for the console: which engine runs (and, on the JDK, why OpenSSL does not) and whether sessions resume.
     */
    public String describe() {
        String engine = provider == SslProvider.JDK
                ? "the JDK engine" + (openSslUsable() ? " (tls.engine: jdk)"
                        : " (OpenSSL cannot load here: " + openSslUnavailable() + ")")
                : "the OpenSSL engine (" + OpenSsl.versionString() + ")";
        return "tls: listener " + listener + " uses " + engine + ", session resumption "
                + (sessionResumption ? "on" : "off");
    }

    /** The local CA's certificate when the listener uses {@code auto}, else null. */
    public Path caCertificate() {
        return caCertificate;
    }

    /** The names the certificates cover, the default certificate's first. */
    public List<String> serverNames() {
        return serverNames;
    }

    /** The ALPN protocols offered, in preference order. */
    public List<String> alpn() {
        return alpn;
    }

    /** Adds TLS (with SNI) last to {@code pipeline}. */
    public void addTo(ChannelPipeline pipeline) {
        // The mapping is read per handshake, so a reload reaches the next connection.
        Mapping<String, SslContext> byName = host -> mapping.map(host);
        pipeline.addLast(TLS, sessionResumption || provider == SslProvider.JDK ? new SniHandler(byName)
                : new NoTicketSniHandler(byName));
        if (!sessionResumption && provider == SslProvider.JDK) {
            pipeline.addLast(NO_RESUME, new JdkSessionInvalidator());
        }
    }

    /** SNI for OpenSSL with resumption off: each engine is told not to issue session tickets before it handshakes. */
    private static final class NoTicketSniHandler extends SniHandler {
        NoTicketSniHandler(Mapping<String, SslContext> mapping) {
            super(mapping);
        }

        @Override
        protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
            SslHandler handler = super.newSslHandler(context, allocator);
            if (handler.engine() instanceof ReferenceCountedOpenSslEngine engine) {
                // SSL_OP_NO_TICKET on this SSL*: BoringSSL then sends no NewSessionTicket (TLS 1.3) and no ticket
                // extension (TLS 1.2). Its context-wide twin needs tcnative's own handle, which Netty does not expose.
                SSL.setOptions(engine.sslPointer(), SSL.SSL_OP_NO_TICKET);
            }
            return handler;
        }
    }

    /** Pipeline name of the handler that keeps the JDK engine from resuming sessions. */
    static final String NO_RESUME = "tls-no-resume";

    /**
     * The JDK has no switch for its server session cache: a session invalidated as soon as its handshake is done
     * is never rejoinable, so the next connection makes a full handshake. It leaves the pipeline right after.
     */
    private static final class JdkSessionInvalidator extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent done) {
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                if (done.isSuccess() && ssl != null) {
                    ssl.engine().getSession().invalidate();
                }
                ctx.pipeline().remove(this);
            }
            super.userEventTriggered(ctx, evt);
        }
    }

    /**
     * Starts polling the certificate files; a change reloads them for new connections, and what came of it (reloaded,
     * or kept with the reason) is told to {@code events}.
     */
    public synchronized void watch(EventJournal events) {
        this.events = events;
        if (watcher != null || caCertificate != null) {
            return; // auto certificates are ours; nobody edits them underneath us
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "balancer-tls-watch-" + listener);
            t.setDaemon(true);
            return t;
        });
        watch = watcher.scheduleWithFixedDelay(this::reloadIfChanged, RELOAD_CHECK_MILLIS, RELOAD_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** Reloads when a certificate or key file changed since the last load; true when new contexts are in use. */
    public synchronized boolean reloadIfChanged() {
        List<FileTime> now = stamps();
        if (now.equals(stamps)) {
            return false;
        }
        stamps = now;
        try {
            load();
            events.tls(listener, "reloaded its certificates (" + String.join(", ", serverNames) + ")");
            return true;
        } catch (TlsSetupException e) {
            events.tls(listener, "keeps its current certificates: " + e.getMessage());
            return false;
        }
    }

    private List<FileTime> stamps() {
        List<FileTime> out = new ArrayList<>();
        for (TlsConfig.Certificate c : certificates) {
            out.add(stamp(c.cert()));
            out.add(stamp(c.key()));
        }
        return out;
    }

    private static FileTime stamp(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private void load() {
        SslContext first = null;
        DomainWildcardMappingBuilder<SslContext> builder = null;
        List<String> names = new ArrayList<>();
        for (TlsConfig.Certificate c : certificates) {
            SslContext ctx = context(c);
            if (first == null) {
                first = ctx;
                builder = new DomainWildcardMappingBuilder<>(first);
            }
            for (String n : names(c.cert())) {
                if (!names.contains(n)) {
                    // First certificate to name a host wins, as the order in the file says.
                    names.add(n);
                    builder.add(n, ctx);
                }
            }
        }
        Objects.requireNonNull(builder);
        mapping = builder.build();
        serverNames = List.copyOf(names);
    }

    private SslContext context(TlsConfig.Certificate c) {
        X509Certificate[] chain = PemFiles.chain(c.cert());
        PrivateKey key = PemFiles.privateKey(c.key());
        // A cert and key swapped one file at a time would otherwise load fine and fail every handshake.
        PemFiles.checkPair(chain[0], key, c);
        try {
            SslContextBuilder b = SslContextBuilder.forServer(key, chain)
                    .sslProvider(provider)
                    .protocols(protocols)
                    .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
            if (!alpn.isEmpty()) {
                b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
            }
            SslContext built = b.build();
            if (!sessionResumption && built instanceof ReferenceCountedOpenSslContext openssl) {
                // No session-id cache and no tickets: HAProxy's tune.ssl.cachesize 0 and no-tls-tickets.
                // The tickets are turned off per engine (newSslHandler below): Netty offers no context-wide switch.
                openssl.sessionContext().setSessionCacheEnabled(false);
            }
            return built;
        } catch (IllegalArgumentException | javax.net.ssl.SSLException e) {
            throw new TlsSetupException(c.cert() + " / " + c.key() + " is not a usable certificate and key: "
                    + e.getMessage(), e);
        }
    }

    private static List<String> names(Path certFile) {
        try {
            X509Certificate cert = PemFiles.chain(certFile)[0];
            List<String> out = new ArrayList<>();
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (((Integer) san.get(0)) == 2) {
                        out.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
            if (out.isEmpty()) {
                for (String part : cert.getSubjectX500Principal().getName().split(",")) {
                    if (part.startsWith("CN=")) {
                        out.add(part.substring(3).toLowerCase(Locale.ROOT));
                    }
                }
            }
            return out;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new TlsSetupException(certFile + " is not a PEM X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** The fixed ALPN id for HTTP/1.1, for callers comparing the negotiated protocol. */
    public static String http11() {
        return ApplicationProtocolNames.HTTP_1_1;
    }

    @Override
    public synchronized void close() {
        if (watch != null) {
            watch.cancel(false);
        }
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
