package moonshot.inventory.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import moonshot.contract.Names;

/** Registers or replaces a hypervisor. Enumerations are strings so a wrong value is reported against its field. */
public record HypervisorRequest(
        @NotBlank @Pattern(regexp = Names.RESOURCE_NAME_REGEX,
                message = "must start with a letter or digit and hold only letters, digits, '.', '_', '-' (max 63)")
        String name,
        @NotBlank @Pattern(regexp = "ESXI|KVM", message = "must be ESXI or KVM")
        String kind,
        @NotBlank @Pattern(regexp = "xsibackup-classic|vzdump|libvirt-external",
                message = "must be xsibackup-classic, vzdump or libvirt-external")
        String dialect,
        @NotBlank @Pattern(regexp = "[A-Za-z0-9.:-]{1,253}", message = "must be a host name or IP address")
        String address,
        @Min(1) @Max(65535)
        Integer port,
        @NotBlank @Pattern(regexp = "[a-z_][a-z0-9_.-]{0,31}", message = "must be a POSIX user name")
        String user,
        @NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}",
                message = "must be the name of a key file in the executor's key directory, without a path")
        String keyFile,
        @NotBlank @Pattern(regexp = Names.FINGERPRINT_REGEX, message = "must be a SHA256:… host-key fingerprint")
        String hostKeyFingerprint,
        @NotBlank @Pattern(regexp = ABSOLUTE_PATH, message = ABSOLUTE_PATH_MESSAGE)
        String backupTarget,
        @NotBlank @Pattern(regexp = ABSOLUTE_PATH, message = ABSOLUTE_PATH_MESSAGE)
        String runningDatastore) {

    static final String ABSOLUTE_PATH = "/(?!.*\\.\\.)[A-Za-z0-9._/ -]{0,1023}";
    static final String ABSOLUTE_PATH_MESSAGE =
            "must be an absolute path of letters, digits, spaces, '.', '_', '-', '/' without '..'";
}
