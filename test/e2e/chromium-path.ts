// Where Debian's chromium package puts the browser (apt-get install -y chromium).
export const CHROMIUM_PATH = "/usr/bin/chromium";
