/**
 * The system state the server helpers need and create idempotently (the tests run as root in CI,
 * where only the Debian packages are installed): test users, vsftpd's PAM service and the runtime
 * folders sshd and vsftpd expect. A file lock serialises test files that set up at the same time.
 */
import { run } from "./daemon.ts";

/** Password of both test users; they have no shell and exist only for these tests. */
export const TEST_PASSWORD = "mirror-test-pass";

/** vsftpd enters the user's home before \`local_root\`, so it must exist; root-owned and empty. */
const HOME_DIR = "/var/lib/photo-relay-mirror-test";
const PAM_SERVICE = "photo-relay-vsftpd-test";
const PAM_FILE = `# PAM stack for photo-relay's test vsftpd: unix passwords only, no pam_shells (the user has nologin)
auth     required pam_unix.so nodelay
account  required pam_unix.so
session  required pam_permit.so
`;

const SCRIPT = `set -e
mkdir -p /run/sshd /var/run/vsftpd/empty ${HOME_DIR}
chmod 755 /run/sshd ${HOME_DIR}
for user in "$@"; do
  if ! id -u "$user" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir ${HOME_DIR} --shell /usr/sbin/nologin "$user"
    echo "$user:${TEST_PASSWORD}" | chpasswd
  fi
  [ "$(getent passwd "$user" | cut -d: -f6)" = ${HOME_DIR} ] || usermod --home ${HOME_DIR} "$user"
done
if [ "$(cat /etc/pam.d/${PAM_SERVICE} 2>/dev/null)" != "$PAM_CONTENT" ]; then
  printf '%s\\n' "$PAM_CONTENT" > /etc/pam.d/${PAM_SERVICE}
fi
`;

export const FTP_USER = "prmirror-ftp";
export const SFTP_USER = "prmirror-sftp";
export const PAM_SERVICE_NAME = PAM_SERVICE;

/** Creates the users, the PAM file and the runtime folders if missing. */
export async function ensureSystemSetup(): Promise<void> {
  await run(
    "flock",
    ["/tmp/photo-relay-mirror-setup.lock", "sh", "-c", SCRIPT, "setup", FTP_USER, SFTP_USER],
    {
      env: { ...process.env, PAM_CONTENT: PAM_FILE.trimEnd() },
    },
  );
}

/** uid and gid of a user, for chown. */
export async function userIds(user: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run("id", ["-u", user]), run("id", ["-g", user])]);
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}
