package org.tamer.gateway.testing;

import ca.uhn.fhir.rest.server.RestfulServer;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Serves a HAPI {@link RestfulServer} under {@code /fhir} on a loopback port with Jetty, for tests. */
public final class LoopbackFhirServer {

    private LoopbackFhirServer() {
    }

    /**
     * Starts Jetty on 127.0.0.1:{@code port} (0: any free port) with {@code restful} at {@code /fhir/*}.
     *
     * @return the started server; its port is {@link #port(Server)}
     */
    public static Server start(RestfulServer restful, int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler handler = new ServletContextHandler();
        handler.setContextPath("/");
        handler.addServlet(new ServletHolder(restful), "/fhir/*");
        server.setHandler(handler);
        server.start();
        return server;
    }

    /**
     * Adds an HTTPS connector on 127.0.0.1 (a free port) to a started server, presenting the certificate of the
     * PKCS#12 {@code keyStore}; the plain connector stays the first.
     *
     * @return the HTTPS port
     */
    public static int addTls(Server server, Path keyStore, String password) throws Exception {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(keyStore.toString());
        tls.setKeyStorePassword(password);
        tls.setKeyStoreType("PKCS12");
        ServerConnector connector = new ServerConnector(server, tls);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        connector.start();
        return connector.getLocalPort();
    }

    public static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
