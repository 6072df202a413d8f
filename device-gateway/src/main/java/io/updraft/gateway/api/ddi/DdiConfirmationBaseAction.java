package io.updraft.gateway.api.ddi;

/**
 * hawkBit's {@code GET confirmationBase/{actionId}}: the deployment the device is asked to confirm (the deploymentBase
 * shape under {@code confirmation}) and {@code actionHistory} with status {@code WAIT_FOR_CONFIRMATION}.
 */
public record DdiConfirmationBaseAction(String id, DdiDeploymentBase.Deployment confirmation,
        DdiDeploymentBase.ActionHistory actionHistory) {
}
