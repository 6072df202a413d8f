package io.updraft.gateway.api.mapping;

import io.updraft.gateway.api.ddi.DdiLink;
import io.updraft.gateway.api.ddi.DdiPoll;
import io.updraft.gateway.domain.PollView;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * PollView → DDI poll answer. A pending cancel hides the deployment: agents must follow the cancel first. An action
 * waiting for the device's confirmation is linked as {@code confirmationBase} instead of the deployment. As in
 * hawkBit, {@code installedBase} links the last finished action.
 */
public final class PollMapper {
    private PollMapper() {
    }

    /** The sleeps a device is told: idle (nothing pending) or active, each with the device's own jitter. */
    public record Sleeps(Duration idle, Duration active, double jitter) {
        Duration of(PollView view, String controllerId) {
            return PollingSleep.jittered(view.pending() ? active : idle, jitter, controllerId);
        }
    }

    /** {@code links} is only asked for when the answer has a link: a nothing-new poll builds no URL. */
    public static DdiPoll toPoll(String controllerId, PollView view, Supplier<DdiLinks> linksOf, Sleeps sleeps) {
        String sleep = PollingSleep.format(sleeps.of(view, controllerId));
        if (view.offer() == null && view.installedActionId() == 0 && view.attributesReported()) {
            return new DdiPoll(new DdiPoll.Config(new DdiPoll.Polling(sleep)), Map.of());
        }
        DdiLinks links = linksOf.get();
        Map<String, DdiLink> hrefs = new LinkedHashMap<>();
        PollView.Offer offer = view.offer();
        if (offer != null && offer.kind() == PollView.Kind.CANCEL) {
            hrefs.put("cancelAction", new DdiLink(links.cancelAction(offer.actionId())));
        } else if (offer != null && offer.kind() == PollView.Kind.CONFIRMATION) {
            hrefs.put("confirmationBase", new DdiLink(links.confirmationBase(offer.actionId(), offer.linkHash())));
        } else if (offer != null) {
            hrefs.put("deploymentBase", new DdiLink(links.deploymentBase(offer.actionId(), offer.linkHash())));
        }
        if (view.installedActionId() != 0) {
            hrefs.put("installedBase", new DdiLink(links.installedBase(view.installedActionId())));
        }
        if (!view.attributesReported()) {
            hrefs.put("configData", new DdiLink(links.configData()));
        }
        return new DdiPoll(new DdiPoll.Config(new DdiPoll.Polling(sleep)), hrefs);
    }
}
