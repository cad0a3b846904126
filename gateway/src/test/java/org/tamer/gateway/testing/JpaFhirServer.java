package org.tamer.gateway.testing;

import ca.uhn.fhir.batch2.jobs.config.BatchCommonCtx;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManagerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.jetty.server.Server;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * A real HAPI FHIR JPA server (R4) in the test JVM: HAPI's own Spring configuration ({@link JpaR4Config},
 * {@link HapiJpaConfig}) over an in-memory H2 database of its own, served by Jetty on a free loopback port under
 * {@code /fhir}. Conditional creates, transactions, references, searches and {@code Location} headers are the
 * server's own semantics, not a stand-in's.
 *
 * <p>Start one per test class ({@code @BeforeAll}) and close it in {@code @AfterAll}; start-up takes 10-30 s on
 * a loaded 2-core machine (Hibernate builds the schema). Interceptors (HAPI {@code @Interceptor} objects, e.g. an
 * authorization interceptor that rejects requests without a valid token) are added with
 * {@link #start(Object...)} before the first request, or with {@link #registerInterceptor(Object)} at any time.
 */
public final class JpaFhirServer implements AutoCloseable {

    private final AnnotationConfigApplicationContext spring;
    private final HikariDataSource dataSource;
    private final RestfulServer restful;
    private final Server jetty;

    private JpaFhirServer(AnnotationConfigApplicationContext spring, HikariDataSource dataSource,
            RestfulServer restful, Server jetty) {
        this.spring = spring;
        this.dataSource = dataSource;
        this.restful = restful;
        this.jetty = jetty;
    }

    /**
     * Starts a server with an empty database of its own.
     *
     * @param interceptors HAPI server interceptors registered before the server accepts its first request
     */
    public static JpaFhirServer start(Object... interceptors) throws Exception {
        HikariDataSource dataSource = newDatabase();
        AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext();
        try {
            spring.getBeanFactory().registerSingleton("dataSource", dataSource);
            spring.register(JpaServerConfig.class);
            spring.refresh();
            RestfulServer restful = restfulServer(spring);
            for (Object interceptor : interceptors) {
                restful.registerInterceptor(interceptor);
            }
            Server jetty = LoopbackFhirServer.start(restful, 0);
            return new JpaFhirServer(spring, dataSource, restful, jetty);
        } catch (Exception | Error e) {
            spring.close();
            dataSource.close();
            throw e;
        }
    }

    private static HikariDataSource newDatabase() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:jpa-fhir-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(10);
        config.setPoolName("jpa-fhir-test-server");
        return new HikariDataSource(config);
    }

    @SuppressWarnings("unchecked")
    private static RestfulServer restfulServer(AnnotationConfigApplicationContext spring) {
        IFhirSystemDao<?, ?> systemDao = spring.getBean(IFhirSystemDao.class);
        RestfulServer restful = new RestfulServer(systemDao.getContext());
        restful.registerProviders(spring.getBean(ResourceProviderFactory.class).createProviders());
        restful.registerProvider(spring.getBean(JpaSystemProvider.class));
        restful.setPagingProvider(spring.getBean(DatabaseBackedPagingProvider.class));
        restful.setServerConformanceProvider(new JpaCapabilityStatementProvider(restful, systemDao,
                spring.getBean(JpaStorageSettings.class), spring.getBean(ISearchParamRegistry.class),
                spring.getBean(IValidationSupport.class)));
        return restful;
    }

    /** The FHIR base URL, {@code http://127.0.0.1:<port>/fhir}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + LoopbackFhirServer.port(jetty) + "/fhir";
    }

    /**
     * A client of this server that does not fetch the capability statement first and waits up to two minutes for
     * an answer (a loaded machine's first transaction can take longer than HAPI's default 10 s).
     *
     * <p>Like any HAPI JPA server with default settings, this one answers a search it ran within the last 60 s from
     * its search cache: a test that searches, writes and searches again must send the second search with
     * {@code Cache-Control: no-cache} ({@code .cacheControl(new CacheControlDirective().setNoCache(true))}).
     */
    public IGenericClient client() {
        FhirContext context = restful.getFhirContext();
        context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        context.getRestfulClientFactory().setSocketTimeout((int) Duration.ofMinutes(2).toMillis());
        return context.newRestfulGenericClient(baseUrl());
    }

    /**
     * Serves the same server over HTTPS as well, on another loopback port, presenting the certificate of the PKCS#12
     * {@code keyStore} (e.g. from {@link TestCertificates}).
     *
     * @return the HTTPS port; the base URL is {@code https://<a name the certificate holds>:<port>/fhir}
     */
    public int serveTls(Path keyStore, String password) throws Exception {
        return LoopbackFhirServer.addTls(jetty, keyStore, password);
    }

    /** Adds a HAPI server interceptor (an object with {@code @Hook} methods) to every request from now on. */
    public void registerInterceptor(Object interceptor) {
        restful.registerInterceptor(interceptor);
    }

    public void unregisterInterceptor(Object interceptor) {
        restful.unregisterInterceptor(interceptor);
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the JPA FHIR test server's Jetty", e);
        } finally {
            try {
                spring.close();
            } finally {
                dataSource.close();
            }
        }
    }

    /** HAPI's JPA configuration with the beans an application must supply: storage settings and JPA wiring. */
    @Configuration
    @Import({JpaR4Config.class, HapiJpaConfig.class, JpaBatch2Config.class, SubscriptionChannelConfig.class,
            ThreadPoolFactoryConfig.class, BatchCommonCtx.class})
    static class JpaServerConfig {

        @Bean
        public JpaStorageSettings storageSettings() {
            JpaStorageSettings settings = new JpaStorageSettings();
            // As a hospital's server: references to resources it does not hold (the gateway's Patient
            // references) are accepted, and the client's meta.source is kept
            settings.setEnforceReferentialIntegrityOnWrite(false);
            settings.setAllowExternalReferences(true);
            settings.setStoreMetaSourceInformation(
                    JpaStorageSettings.StoreMetaSourceInformationEnum.SOURCE_URI_AND_REQUEST_ID);
            settings.setHibernateSearchIndexSearchParams(false);
            return settings;
        }

        @Bean
        public PartitionSettings partitionSettings() {
            return new PartitionSettings();
        }

        @Bean
        @Primary
        public LocalContainerEntityManagerFactoryBean entityManagerFactory(
                ConfigurableListableBeanFactory beanFactory, FhirContext fhirContext, DataSource dataSource,
                JpaStorageSettings settings) {
            LocalContainerEntityManagerFactoryBean factory = HapiEntityManagerFactoryUtil
                    .newEntityManagerFactory(beanFactory, fhirContext, settings);
            factory.setPersistenceUnitName("TAMER_TEST_HAPI_PU");
            factory.setDataSource(dataSource);
            Properties jpa = new Properties();
            jpa.put("hibernate.dialect", HapiFhirH2Dialect.class.getName());
            jpa.put("hibernate.hbm2ddl.auto", "update");
            jpa.put("hibernate.search.enabled", "false");
            jpa.put("hibernate.format_sql", "false");
            jpa.put("hibernate.show_sql", "false");
            factory.setJpaProperties(jpa);
            return factory;
        }

        @Bean
        @Primary
        public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
            return new JpaTransactionManager(entityManagerFactory);
        }
    }
}
