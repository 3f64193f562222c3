package org.kinora.host.mlt.internal;

import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.Text;

/**
 * Small DOM helpers for MLT XML: {@code <property name="...">} access and element insertion that keeps the file's
 * indentation, so an edited project still looks like the editor wrote it.
 */
final class Dom {

    private Dom() {
    }

    static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Element e : children(parent)) {
            if (e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The {@code <property name="name">} child of {@code e}, or {@code null}. */
    static Element propElement(Element e, String name) {
        for (Element c : children(e, "property")) {
            if (name.equals(c.getAttribute("name"))) {
                return c;
            }
        }
        return null;
    }

    /** The value of a direct {@code <property>} child, or {@code null} when absent. */
    static String prop(Element e, String name) {
        Element p = propElement(e, name);
        return p == null ? null : p.getTextContent();
    }

    static boolean propIs(Element e, String name, String value) {
        String v = prop(e, name);
        return v != null && v.trim().equals(value);
    }

    /** The id attribute or {@code null} when empty. */
    static String id(Element e) {
        String id = e.getAttribute("id");
        return id.isEmpty() ? null : id;
    }

    static String attr(Element e, String name) {
        return e.hasAttribute(name) ? e.getAttribute(name) : null;
    }

    /** A new {@code <property name="name">value</property>} (an empty value is written as {@code <property name=".."/>}). */
    static Element newProp(Document d, String name, String value) {
        Element p = d.createElement("property");
        MltXml.setAttr(p, "name", name);
        if (value != null && !value.isEmpty()) {
            p.appendChild(d.createTextNode(value));
        }
        return p;
    }

    /** A new element with attributes in the given order ({@code name, value, name, value...}). */
    static Element newElement(Document d, String tag, String... attrs) {
        Element e = d.createElement(tag);
        for (int i = 0; i + 1 < attrs.length; i += 2) {
            MltXml.setAttr(e, attrs[i], attrs[i + 1]);
        }
        return e;
    }

    /** Appends properties to a new element under construction (no whitespace yet; see {@link #format}). */
    static Element props(Element e, String... nameValues) {
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            e.appendChild(newProp(e.getOwnerDocument(), nameValues[i], nameValues[i + 1]));
        }
        return e;
    }

    /**
     * Sets a property: an existing one gets its new value in place; a new one goes after the last {@code <property>}
     * (MLT and the editors keep properties before filters and tracks).
     */
    static void setProp(Element e, String name, String value) {
        Element p = propElement(e, name);
        if (p != null) {
            while (p.getFirstChild() != null) {
                p.removeChild(p.getFirstChild());
            }
            if (value != null && !value.isEmpty()) {
                p.appendChild(e.getOwnerDocument().createTextNode(value));
            }
            return;
        }
        Element np = newProp(e.getOwnerDocument(), name, value);
        List<Element> ps = children(e, "property");
        if (!ps.isEmpty()) {
            insertAfter(np, ps.get(ps.size() - 1));
        } else if (!children(e).isEmpty()) {
            insertBefore(np, children(e).get(0));
        } else {
            appendChild(e, np);
        }
    }

    static void removeProp(Element e, String name) {
        Element p = propElement(e, name);
        if (p != null) {
            removeWithIndent(p);
        }
    }

    /** Removes an element and the indentation text before it. */
    static void removeWithIndent(Element e) {
        Node prev = e.getPreviousSibling();
        if (prev instanceof Text t && t.getData().isBlank()) {
            e.getParentNode().removeChild(prev);
        }
        e.getParentNode().removeChild(e);
    }

    /** Inserts {@code fresh} as the sibling just before {@code ref}, indented like {@code ref}. */
    static void insertBefore(Element fresh, Element ref) {
        String indent = indentOf(ref);
        format(fresh, indent, unit(ref.getOwnerDocument()));
        Node parent = ref.getParentNode();
        parent.insertBefore(fresh, ref);
        parent.insertBefore(ref.getOwnerDocument().createTextNode("\n" + indent), ref);
    }

    /** Inserts {@code fresh} as the sibling just after {@code ref}, indented like {@code ref}. */
    static void insertAfter(Element fresh, Element ref) {
        String indent = indentOf(ref);
        format(fresh, indent, unit(ref.getOwnerDocument()));
        Node parent = ref.getParentNode();
        Node next = ref.getNextSibling();
        parent.insertBefore(ref.getOwnerDocument().createTextNode("\n" + indent), next);
        parent.insertBefore(fresh, next);
    }

    /** Appends {@code child} after the last element child of {@code parent} (or as its first child). */
    static void appendChild(Element parent, Element child) {
        List<Element> kids = children(parent);
        if (!kids.isEmpty()) {
            insertAfter(child, kids.get(kids.size() - 1));
            return;
        }
        Document d = parent.getOwnerDocument();
        String parentIndent = indentOf(parent);
        String indent = parentIndent + unit(d);
        while (parent.getFirstChild() != null) {
            parent.removeChild(parent.getFirstChild());
        }
        format(child, indent, unit(d));
        parent.appendChild(d.createTextNode("\n" + indent));
        parent.appendChild(child);
        parent.appendChild(d.createTextNode("\n" + parentIndent));
    }

    /** The whitespace before {@code e} on its line, or a guess from its depth when it has none. */
    static String indentOf(Element e) {
        Node prev = e.getPreviousSibling();
        if (prev instanceof Text t && t.getData().isBlank()) {
            String s = t.getData();
            int nl = s.lastIndexOf('\n');
            if (nl >= 0) {
                return s.substring(nl + 1);
            }
        }
        int depth = 0;
        for (Node n = e.getParentNode(); n instanceof Element; n = n.getParentNode()) {
            depth++;
        }
        return unit(e.getOwnerDocument()).repeat(depth);
    }

    /** The file's indentation step: Shotcut (libxml2) uses two spaces, Kdenlive (Qt DOM) one. */
    static String unit(Document d) {
        Element root = d.getDocumentElement();
        for (Element c : children(root)) {
            String i = indentOf0(c);
            if (i != null && !i.isEmpty()) {
                return i;
            }
        }
        return "  ";
    }

    private static String indentOf0(Element e) {
        Node prev = e.getPreviousSibling();
        if (prev instanceof Text t && t.getData().isBlank()) {
            int nl = t.getData().lastIndexOf('\n');
            return nl >= 0 ? t.getData().substring(nl + 1) : null;
        }
        return null;
    }

    /** Adds indentation inside a freshly built element (one that has no whitespace of its own yet). */
    static void format(Element e, String indent, String unit) {
        List<Element> kids = children(e);
        if (kids.isEmpty()) {
            return;
        }
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Text t && t.getData().isBlank()) {
                return; // already formatted (e.g. a clone of an existing element)
            }
        }
        Document d = e.getOwnerDocument();
        for (Element k : kids) {
            e.insertBefore(d.createTextNode("\n" + indent + unit), k);
            format(k, indent + unit, unit);
        }
        e.appendChild(d.createTextNode("\n" + indent));
    }

    /** Every element of the document in document order. */
    static List<Element> all(Document d) {
        List<Element> out = new ArrayList<>();
        collect(d.getDocumentElement(), out);
        return out;
    }

    /** {@code e} and every element below it, in document order. */
    static List<Element> all(Element e) {
        List<Element> out = new ArrayList<>();
        collect(e, out);
        return out;
    }

    private static void collect(Element e, List<Element> out) {
        out.add(e);
        for (Element c : children(e)) {
            collect(c, out);
        }
    }
}
