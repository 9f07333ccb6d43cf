package dev.vecpersist.store.s3;

import java.io.OutputStream;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Collection;

/**
 * The entry point of the child JVM running S3Mock (started by {@link S3MockServer} through the
 * S3Mock jar's Spring Boot launcher, with this class added to its class path). It uses Spring
 * only by reflection, so the tests need no Spring on their own class path.
 *
 * <p>S3Mock adds a second HTTP connector bound to every interface; before the server starts, this
 * binds it to loopback like the main one. Prints {@code S3MOCK READY <port>} once the server
 * answers, and exits when its standard input closes (the test JVM has gone).
 */
public final class S3MockMain {

    static final String READY = "S3MOCK READY ";
    private static final String LOOPBACK = "127.0.0.1";

    private S3MockMain() {
    }

    public static void main(String[] args) throws Exception {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Class<?> application = Class.forName("com.adobe.testing.s3mock.S3MockApplication", true, loader);
        Class<?> springApplication = Class.forName("org.springframework.boot.SpringApplication", true, loader);
        Class<?> initializerType = Class.forName("org.springframework.context.ApplicationContextInitializer", true, loader);
        Class<?> postProcessorType = Class.forName("org.springframework.beans.factory.config.BeanPostProcessor", true, loader);

        Object postProcessor = proxy(loader, postProcessorType, (proxy, method, a) -> {
            if (method.getName().startsWith("postProcess") && a != null && a.length == 2) {
                bindAdditionalConnectorsToLoopback(a[0]);
                return a[0];
            }
            return objectMethod(proxy, method.getName(), a);
        });
        Object initializer = proxy(loader, initializerType, (proxy, method, a) -> {
            if (method.getName().equals("initialize")) {
                Object beanFactory = a[0].getClass().getMethod("getBeanFactory").invoke(a[0]);
                beanFactory.getClass().getMethod("addBeanPostProcessor", postProcessorType).invoke(beanFactory, postProcessor);
                return null;
            }
            return objectMethod(proxy, method.getName(), a);
        });

        Object app = springApplication.getConstructor(Class[].class).newInstance((Object) new Class<?>[] {application});
        Object initializers = Array.newInstance(initializerType, 1);
        Array.set(initializers, 0, initializer);
        springApplication.getMethod("addInitializers", initializers.getClass()).invoke(app, initializers);
        Object context = springApplication.getMethod("run", String[].class).invoke(app, (Object) args);
        Object environment = context.getClass().getMethod("getEnvironment").invoke(context);
        Object port = environment.getClass().getMethod("getProperty", String.class).invoke(environment, "local.server.port");
        System.out.println(READY + port);
        System.out.flush();

        System.in.transferTo(OutputStream.nullOutputStream());
        System.exit(0);
    }

    private static void bindAdditionalConnectorsToLoopback(Object bean) throws ReflectiveOperationException {
        if (!bean.getClass().getName().equals("org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory")) {
            return;
        }
        Collection<?> connectors = (Collection<?>) bean.getClass().getMethod("getAdditionalTomcatConnectors").invoke(bean);
        for (Object connector : connectors) {
            connector.getClass().getMethod("setProperty", String.class, String.class).invoke(connector, "address", LOOPBACK);
        }
    }

    private static Object proxy(ClassLoader loader, Class<?> type, InvocationHandler handler) {
        return Proxy.newProxyInstance(loader, new Class<?>[] {type}, handler);
    }

    private static Object objectMethod(Object proxy, String name, Object[] args) {
        return switch (name) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "S3MockMain$" + Integer.toHexString(System.identityHashCode(proxy));
            default -> null;
        };
    }
}
