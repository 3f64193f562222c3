package org.kinora.host.mlt.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;

import org.kinora.core.host.ProjectException;
import org.w3c.dom.Attr;
import org.w3c.dom.CDATASection;
import org.w3c.dom.Comment;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.ProcessingInstruction;
import org.w3c.dom.Text;
import org.w3c.dom.UserDataHandler;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.ext.DefaultHandler2;
import org.xml.sax.ext.Locator2;

/**
 * Secure parsing and faithful re-serialization of MLT XML.
 *
 * <p>Why not a plain {@code DocumentBuilder} + {@code Transformer}: the JDK DOM keeps attributes sorted by name and the
 * transformer rewrites the XML declaration, so every save would reformat the whole file and an editor's diff (or a
 * user's version control) would show changes Kinora never made. Here a SAX pass builds the DOM and remembers each
 * element's attribute order; the serializer writes the original prolog and epilog verbatim, attributes in their
 * original order, and whitespace exactly as read. Untouched documents round-trip byte for byte in the common case.
 *
 * <p>Security: DOCTYPE declarations are refused outright (no entity expansion, no XXE), external entities and DTD
 * loading are off, secure processing is on, and input size is bounded before any parsing.
 */
final class MltXml {

    /** Projects beyond this size are refused before parsing: real projects are a few MB at most. */
    static final long MAX_BYTES = 64L * 1024 * 1024;

    private static final String ATTR_ORDER = "org.kinora.mlt.attrOrder";

    private MltXml() {
    }

    /**
     * A parsed file: the DOM plus what the DOM cannot hold (declaration, text around the root, encoding, line ends).
     */
    record Parsed(Document doc, String prolog, String epilog, Charset charset, boolean crlf) {
    }

    static Parsed parse(byte[] bytes, Path file) throws ProjectException {
        if (bytes.length > MAX_BYTES) {
            throw new ProjectException(file + " is " + bytes.length / (1024 * 1024) + " MB; projects over "
                    + MAX_BYTES / (1024 * 1024) + " MB are refused");
        }
        Builder builder;
        try {
            builder = new Builder(newDocument());
            XMLReader reader = secureParser().getXMLReader();
            reader.setContentHandler(builder);
            reader.setErrorHandler(builder);
            reader.setProperty("http://xml.org/sax/properties/lexical-handler", builder);
            reader.parse(new InputSource(new ByteArrayInputStream(bytes)));
        } catch (SAXParseException e) {
            throw new ProjectException(file + " is not well-formed XML: " + oneLine(e.getMessage())
                    + " (line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ")", e);
        } catch (SAXException | IOException e) {
            throw new ProjectException(file + " could not be parsed as XML: " + oneLine(e.getMessage()), e);
        } catch (ParserConfigurationException e) {
            throw new ProjectException("XML parser cannot be configured securely: " + oneLine(e.getMessage()), e);
        }
        Document doc = builder.doc;
        if (doc.getDocumentElement() == null) {
            throw new ProjectException(file + " has no root element");
        }
        Charset charset = builder.charset();
        String raw = new String(bytes, charset);
        String rootName = doc.getDocumentElement().getTagName();
        int start = rootStart(raw);
        String prolog = start >= 0 ? raw.substring(0, start) : "";
        String epilog = "\n";
        int endTag = raw.lastIndexOf("</" + rootName);
        if (endTag >= 0) {
            int gt = raw.indexOf('>', endTag);
            epilog = gt >= 0 ? raw.substring(gt + 1) : "";
        }
        return new Parsed(doc, prolog, epilog, charset, raw.contains("\r\n"));
    }

    /** An empty document from a securely configured factory (used for parsing and by tests). */
    static Document newDocument() throws ProjectException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            f.setXIncludeAware(false);
            return f.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new ProjectException("XML parser cannot be configured securely: " + oneLine(e.getMessage()), e);
        }
    }

    private static SAXParser secureParser() throws ParserConfigurationException, SAXException {
        SAXParserFactory f = SAXParserFactory.newInstance();
        f.setNamespaceAware(false);
        f.setValidating(false);
        f.setXIncludeAware(false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newSAXParser();
    }

    /** Index of the root element's start tag, skipping the declaration, comments and processing instructions. */
    private static int rootStart(String raw) {
        int i = 0;
        int n = raw.length();
        while (i < n) {
            char c = raw.charAt(i);
            if (c == '\uFEFF' || Character.isWhitespace(c)) {
                i++;
            } else if (raw.startsWith("<?", i)) {
                int e = raw.indexOf("?>", i);
                if (e < 0) {
                    return -1;
                }
                i = e + 2;
            } else if (raw.startsWith("<!--", i)) {
                int e = raw.indexOf("-->", i);
                if (e < 0) {
                    return -1;
                }
                i = e + 3;
            } else {
                return c == '<' ? i : -1;
            }
        }
        return -1;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    // ---------------------------------------------------------------- attribute order

    /** Keeps the attribute order on cloned elements (clones of bin clips must serialize like their originals). */
    private static final class CopyOrder implements UserDataHandler {
        @Override
        public void handle(short op, String key, Object data, Node src, Node dst) {
            if (dst != null && (op == NODE_CLONED || op == NODE_IMPORTED)) {
                @SuppressWarnings("unchecked")
                List<String> order = (List<String>) data;
                dst.setUserData(key, new ArrayList<>(order), this);
            }
        }
    }

    private static final UserDataHandler COPY_ORDER = new CopyOrder();

    @SuppressWarnings("unchecked")
    private static List<String> order(Element e) {
        Object o = e.getUserData(ATTR_ORDER);
        if (o == null) {
            List<String> list = new ArrayList<>();
            e.setUserData(ATTR_ORDER, list, COPY_ORDER);
            return list;
        }
        return (List<String>) o;
    }

    /** Sets an attribute; a new attribute goes after the existing ones, an existing one keeps its place. */
    static void setAttr(Element e, String name, String value) {
        List<String> order = order(e);
        if (!order.contains(name)) {
            order.add(name);
        }
        e.setAttribute(name, value);
    }

    // ---------------------------------------------------------------- serialization

    static byte[] serialize(Parsed p) {
        CharsetEncoder enc = p.charset().newEncoder();
        StringBuilder out = new StringBuilder(64 * 1024);
        out.append(p.prolog());
        Writer w = new Writer(out, enc, p.crlf());
        w.element(p.doc().getDocumentElement());
        out.append(p.epilog());
        return out.toString().getBytes(p.charset());
    }

    private record Writer(StringBuilder out, CharsetEncoder enc, boolean crlf) {

        void element(Element e) {
            out.append('<').append(e.getTagName());
            List<String> order = order(e);
            NamedNodeMap attrs = e.getAttributes();
            for (String name : order) {
                if (e.hasAttribute(name)) {
                    attribute(name, e.getAttribute(name));
                }
            }
            for (int i = 0; i < attrs.getLength(); i++) {
                Attr a = (Attr) attrs.item(i);
                if (!order.contains(a.getName())) {
                    attribute(a.getName(), a.getValue());
                }
            }
            if (!e.hasChildNodes()) {
                out.append("/>");
                return;
            }
            out.append('>');
            for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
                switch (c.getNodeType()) {
                    case Node.ELEMENT_NODE -> element((Element) c);
                    case Node.CDATA_SECTION_NODE -> out.append("<![CDATA[").append(((CDATASection) c).getData()).append("]]>");
                    case Node.TEXT_NODE -> text(((Text) c).getData());
                    case Node.COMMENT_NODE -> out.append("<!--").append(((Comment) c).getData()).append("-->");
                    case Node.PROCESSING_INSTRUCTION_NODE -> {
                        ProcessingInstruction pi = (ProcessingInstruction) c;
                        out.append("<?").append(pi.getTarget());
                        if (!pi.getData().isEmpty()) {
                            out.append(' ').append(pi.getData());
                        }
                        out.append("?>");
                    }
                    default -> { }
                }
            }
            out.append("</").append(e.getTagName()).append('>');
        }

        private void attribute(String name, String value) {
            out.append(' ').append(name).append("=\"");
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '&' -> out.append("&amp;");
                    case '<' -> out.append("&lt;");
                    case '>' -> out.append("&gt;");
                    case '"' -> out.append("&quot;");
                    case '\n' -> out.append("&#10;");
                    case '\r' -> out.append("&#13;");
                    case '\t' -> out.append("&#9;");
                    default -> plain(value, i, c);
                }
            }
            out.append('"');
        }

        private void text(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '&' -> out.append("&amp;");
                    case '<' -> out.append("&lt;");
                    case '>' -> out.append("&gt;");
                    case '\r' -> out.append("&#13;");
                    case '\n' -> out.append(crlf ? "\r\n" : "\n");
                    default -> plain(s, i, c);
                }
            }
        }

        /** Characters the output charset cannot hold become character references (only for non-UTF charsets). */
        private void plain(String s, int i, char c) {
            if (c < 0x80 || enc.charset().equals(StandardCharsets.UTF_8)) {
                out.append(c);
            } else if (Character.isHighSurrogate(c) || Character.isLowSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    String pair = s.substring(i, i + 2);
                    if (enc.canEncode(pair)) {
                        out.append(c);
                    } else {
                        out.append("&#").append(pair.codePointAt(0)).append(';');
                    }
                } else if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1))) {
                    if (enc.canEncode(s.substring(i - 1, i + 1))) {
                        out.append(c);
                    }
                } else {
                    out.append(c);
                }
            } else if (enc.canEncode(c)) {
                out.append(c);
            } else {
                out.append("&#").append((int) c).append(';');
            }
        }
    }

    // ---------------------------------------------------------------- SAX -> DOM

    private static final class Builder extends DefaultHandler2 {
        final Document doc;
        private final Deque<Node> stack = new ArrayDeque<>();
        private boolean inCdata;
        private Locator locator;

        Builder(Document doc) {
            this.doc = doc;
            stack.push(doc);
        }

        Charset charset() {
            if (locator instanceof Locator2 l2 && l2.getEncoding() != null) {
                try {
                    return Charset.forName(l2.getEncoding());
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    return StandardCharsets.UTF_8;
                }
            }
            return StandardCharsets.UTF_8;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) {
            Element e = doc.createElement(qName);
            for (int i = 0; i < atts.getLength(); i++) {
                setAttr(e, atts.getQName(i), atts.getValue(i));
            }
            stack.peek().appendChild(e);
            stack.push(e);
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            stack.pop();
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            Node parent = stack.peek();
            if (parent == doc) {
                return; // whitespace around the root is kept verbatim as prolog/epilog
            }
            String s = new String(ch, start, length);
            Node last = parent.getLastChild();
            if (inCdata) {
                if (last instanceof CDATASection cd && last.getUserData("open") != null) {
                    cd.appendData(s);
                } else {
                    CDATASection cd = doc.createCDATASection(s);
                    cd.setUserData("open", Boolean.TRUE, null);
                    parent.appendChild(cd);
                }
            } else if (last instanceof Text t && !(last instanceof CDATASection)) {
                t.appendData(s);
            } else {
                parent.appendChild(doc.createTextNode(s));
            }
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) {
            characters(ch, start, length);
        }

        @Override
        public void startCDATA() {
            inCdata = true;
        }

        @Override
        public void endCDATA() {
            inCdata = false;
            Node last = stack.peek().getLastChild();
            if (last instanceof CDATASection) {
                last.setUserData("open", null, null);
            } else {
                stack.peek().appendChild(doc.createCDATASection(""));
            }
        }

        @Override
        public void comment(char[] ch, int start, int length) {
            if (stack.peek() != doc) {
                stack.peek().appendChild(doc.createComment(new String(ch, start, length)));
            }
        }

        @Override
        public void processingInstruction(String target, String data) {
            if (stack.peek() != doc) {
                stack.peek().appendChild(doc.createProcessingInstruction(target, data == null ? "" : data));
            }
        }

        @Override
        public void warning(SAXParseException e) {
            // warnings do not stop a project from opening
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    }
}
