package org.kinora.host.mlt.internal;

import java.nio.file.Path;

import org.kinora.core.host.ProjectException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The concrete MLT XML dialect of a project. Detection looks at what each editor itself relies on: Shotcut opens a
 * file as a timeline only when a tractor has {@code shotcut=1}; Kdenlive records its document version in
 * {@code kdenlive:docproperties.version} on {@code main_bin}, and 1.1 adds sequence tractors and a project tractor.
 */
enum ProjectFormat {
    SHOTCUT("shotcut"),
    KDENLIVE_104("kdenlive-1.04"),
    KDENLIVE_11("kdenlive-1.1");

    private final String id;

    ProjectFormat(String id) {
        this.id = id;
    }

    String id() {
        return id;
    }

    boolean kdenlive() {
        return this != SHOTCUT;
    }

    static ProjectFormat detect(Document doc, Path file) throws ProjectException {
        Element root = doc.getDocumentElement();
        if (!"mlt".equals(root.getTagName())) {
            throw new ProjectException(file + " is not an MLT XML project: its root element is <" + root.getTagName()
                    + ">, not <mlt>");
        }
        Element mainBin = mainBin(doc);
        String version = mainBin == null ? null : Dom.prop(mainBin, "kdenlive:docproperties.version");
        if (version != null) {
            String v = version.trim();
            if (v.equals("1.04")) {
                return KDENLIVE_104;
            }
            if (v.equals("1.1")) {
                return KDENLIVE_11;
            }
            throw new ProjectException(file + " is a Kdenlive document version " + v
                    + ", which is not supported (supported: 1.04 from Kdenlive 20.08-22.12, 1.1 from 23.04+)");
        }
        for (Element e : Dom.children(root, "tractor")) {
            if (Dom.propIs(e, "kdenlive:projectTractor", "1")) {
                return KDENLIVE_11;
            }
        }
        for (Element e : Dom.children(root, "tractor")) {
            if (Dom.propIs(e, "shotcut", "1")) {
                return SHOTCUT;
            }
        }
        throw new ProjectException(file + " is MLT XML but neither a Shotcut project (no tractor with shotcut=1) "
                + "nor a Kdenlive project (no kdenlive:docproperties.version on main_bin)");
    }

    /** The bin playlist ({@code main_bin}, or Shotcut's legacy {@code main bin}), or {@code null}. */
    static Element mainBin(Document doc) {
        Element legacy = null;
        for (Element e : Dom.children(doc.getDocumentElement(), "playlist")) {
            if ("main_bin".equals(e.getAttribute("id"))) {
                return e;
            }
            if ("main bin".equals(e.getAttribute("id"))) {
                legacy = e;
            }
        }
        return legacy;
    }
}
