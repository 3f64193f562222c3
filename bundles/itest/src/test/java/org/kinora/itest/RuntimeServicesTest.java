package org.kinora.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** The assembled runtime boots, every bundle is active, and the services are registered with their properties. */
class RuntimeServicesTest {

    @Test
    void everyBundleIsActive() throws Exception {
        BundleContext ctx = SharedRuntime.get().context();
        List<String> notActive = Arrays.stream(ctx.getBundles())
                .filter(b -> b.getHeaders().get("Fragment-Host") == null && b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + " state " + b.getState()).collect(Collectors.toList());
        assertTrue(notActive.isEmpty(), "bundles not active: " + notActive + "; problems: " + SharedRuntime.get().problems());
        List<String> names = Arrays.stream(ctx.getBundles()).map(Bundle::getSymbolicName).toList();
        for (String expected : List.of("org.kinora.core", "org.kinora.media", "org.kinora.inference", "org.kinora.host.mlt",
                "org.kinora.effect.styletransfer", "org.kinora.cli", "org.kinora.samples", "org.kinora.ui", "org.apache.felix.scr")) {
            assertTrue(names.contains(expected), expected + " missing from " + names);
        }
    }

    @Test
    void servicesAreRegistered() throws Exception {
        var rt = SharedRuntime.get();
        for (String service : List.of("org.kinora.core.media.MediaService", "org.kinora.core.inference.InferenceService",
                "org.kinora.core.host.ProjectHost", "org.kinora.core.media.OpticalFlow", "org.kinora.core.media.Inpainting",
                "org.kinora.core.pose.PoseTracks")) {
            assertNotNull(rt.waitForService("(objectClass=" + service + ")", 20_000), service + " not registered");
        }
        assertNotNull(rt.waitForService("(&(objectClass=org.kinora.core.effect.Effect)(kinora.effect.id=style-transfer))", 20_000),
                "style-transfer effect not registered with kinora.effect.id");
        assertNotNull(rt.waitForService("(&(objectClass=org.kinora.core.effect.Effect)(kinora.effect.id=motion-brush))", 20_000),
                "motion-brush effect not registered with kinora.effect.id");
        assertNotNull(rt.waitForService("(&(objectClass=org.kinora.core.effect.Effect)(kinora.effect.id=pose-animate))", 20_000),
                "pose-animate effect not registered with kinora.effect.id");
        assertNotNull(rt.waitForService("(&(objectClass=org.kinora.core.effect.Effect)(kinora.effect.id=generate))", 20_000),
                "generate effect not registered with kinora.effect.id");
        ServiceReference<?>[] effects = rt.context().getAllServiceReferences("org.kinora.core.effect.Effect", null);
        assertNotNull(effects);
        assertEquals(4, effects.length, "the four effects: style-transfer, motion-brush, pose-animate, generate");
    }

    /**
     * The inpainting service fills a hole inside the runtime: the OpenCV photo module's natives are embedded in the media
     * bundle (a missing library shows as an UnsatisfiedLinkError on the first call). Called reflectively because the
     * core API classes of the framework are not this test's.
     */
    @Test
    void inpaintingLoadsItsNatives() throws Exception {
        var rt = SharedRuntime.get();
        Object inpainting = rt.waitForService("(objectClass=org.kinora.core.media.Inpainting)", 20_000);
        assertNotNull(inpainting, "Inpainting not registered");
        ClassLoader loader = inpainting.getClass().getClassLoader();
        Class<?> frameType = loader.loadClass("org.kinora.core.media.VideoFrame");
        byte[] px = new byte[16 * 12 * 3];
        Arrays.fill(px, (byte) 90);
        ByteBuffer mask = ByteBuffer.allocate(16 * 12);
        mask.put(6 * 16 + 8, (byte) 1);
        px[(6 * 16 + 8) * 3] = (byte) 250;
        Object frame = frameType.getConstructor(long.class, int.class, int.class, ByteBuffer.class)
                .newInstance(0L, 16, 12, ByteBuffer.wrap(px));
        Object out = inpainting.getClass().getMethod("inpaint", frameType, ByteBuffer.class, int.class)
                .invoke(inpainting, frame, mask, 3);
        ByteBuffer rgb = (ByteBuffer) frameType.getMethod("rgb").invoke(out);
        assertEquals(90, rgb.get((6 * 16 + 8) * 3) & 0xff, "the one-pixel hole is filled from its flat surroundings");
    }

    @Test
    void effectsCommandListsDeclaredParameters() throws Exception {
        SharedRuntime.Result r = SharedRuntime.cli("effects");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("style-transfer"), r.out());
        assertTrue(r.out().contains("cartoon:") && r.out().contains("starry:") && r.out().contains("temporal"), r.out());
        assertTrue(r.out().matches("(?s).*strength\\s+number\\s+0\\.\\.1\\s+1\\.0.*"), r.out());
    }

    @Test
    void helpForEveryCommand() throws Exception {
        for (String cmd : List.of("effects", "info", "apply", "demo", "benchmark", "pose", "pose extract")) {
            SharedRuntime.Result r = SharedRuntime.cli((cmd + " --help").split(" "));
            assertEquals(0, r.exit(), r.all());
            assertTrue(r.out().startsWith("Usage: kinora " + cmd), r.out());
        }
        SharedRuntime.Result apply = SharedRuntime.cli("apply", "--help");
        assertTrue(apply.out().contains("style-transfer"), "apply --help lists the installed effects: " + apply.out());
    }
}
