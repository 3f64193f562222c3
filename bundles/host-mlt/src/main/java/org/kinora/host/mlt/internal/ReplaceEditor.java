package org.kinora.host.mlt.internal;

import org.kinora.core.host.ProjectException;
import org.kinora.core.host.Provenance;
import org.kinora.core.host.ResultMedia;
import org.kinora.core.timeline.Clip;
import org.kinora.host.mlt.internal.TimelineModel.ClipSite;
import org.w3c.dom.Element;

/**
 * Non-destructive replace (notes/hosts.md): the timeline entry plays a new clip for the result, at the same position
 * and length so nothing downstream moves; the source stays in the bin and provenance is recorded on the new clip.
 */
final class ReplaceEditor {

    private final EditContext ctx;

    ReplaceEditor(EditContext ctx) {
        this.ctx = ctx;
    }

    void replace(ClipSite site, ResultMedia media, Provenance prov) throws ProjectException {
        Clip clip = site.clip();
        ctx.checkMedia(media);
        if (media.frameCount() != clip.length()) {
            throw new ProjectException("clip " + clip.ref() + " in " + ctx.file.getFileName() + " is " + clip.length()
                    + " frames but result media " + media.file().getFileName() + " has " + media.frameCount()
                    + "; a replacement must have exactly the clip's length");
        }
        long len = media.frameCount();
        int kdenliveId = 0;
        int folder = -1;
        if (ctx.format.kdenlive()) {
            folder = ctx.resultsFolder();
            kdenliveId = ctx.maxKdenliveId() + 1;
        }
        ctx.keepOriginalInBin(site);

        // the bin clip, defined before main_bin
        Element binClip = ctx.mediaElement(media, prov, site, false, kdenliveId, folder);
        ctx.addToBin(binClip, 0, len - 1);

        // the timeline instance, defined before the playlist that uses it (melt resolves only earlier ids)
        Element timelineClip = ctx.mediaElement(media, prov, site, true, kdenliveId, folder);
        Dom.insertBefore(timelineClip, EditContext.firstTopLevelUser(site.playlist()));

        Element entry = site.entry();
        MltXml.setAttr(entry, "producer", timelineClip.getAttribute("id"));
        MltXml.setAttr(entry, "in", "0");
        MltXml.setAttr(entry, "out", MltTime.frames(len - 1));
        if (ctx.format.kdenlive()) {
            Dom.setProp(entry, "kdenlive:id", Integer.toString(kdenliveId));
        }
    }
}
