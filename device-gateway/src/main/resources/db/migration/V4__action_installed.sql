-- Issue 16: when the device reported the image installed (to reboot into it). A failure reported after that is a boot
-- failure (SWUpdate's path when the new image did not come up), and ActionFinished says so (afterInstalled).
alter table device_action add column installed_at timestamptz;
