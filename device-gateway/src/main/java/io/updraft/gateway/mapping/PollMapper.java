package io.updraft.gateway.mapping;

import io.updraft.gateway.ddi.DdiLink;
import io.updraft.gateway.ddi.DdiPoll;
import io.updraft.gateway.poll.PollView;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** PollView → DDI poll answer. A pending cancel hides the deployment: agents must follow the cancel first. */
public final class PollMapper {
    private PollMapper() {
    }

    public static DdiPoll toPoll(PollView view, DdiLinks links, Duration idleSleep, Duration activeSleep) {
        Map<String, DdiLink> hrefs = new LinkedHashMap<>();
        PollView.Offer offer = view.offer();
        if (offer != null && offer.kind() == PollView.Kind.CANCEL) {
            hrefs.put("cancelAction", new DdiLink(links.cancelAction(offer.actionId())));
        } else if (offer != null) {
            hrefs.put("deploymentBase", new DdiLink(links.deploymentBase(offer.actionId(), offer.linkHash())));
        }
        if (!view.attributesReported()) {
            hrefs.put("configData", new DdiLink(links.configData()));
        }
        String sleep = PollingSleep.format(view.pending() ? activeSleep : idleSleep);
        return new DdiPoll(new DdiPoll.Config(new DdiPoll.Polling(sleep)), hrefs);
    }
}
