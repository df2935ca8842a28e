//! The package catalogue of the simulated apt and apk, as data: for each known
//! package its description, the extra packages it pulls in on Debian/Ubuntu and
//! on Alpine, its version on Ubuntu 14.04, modern Debian/Ubuntu and Alpine, its
//! installed size, and the files it leaves (stand-in executables at the real
//! paths, configuration files, the default web pages). A package not listed here
//! installs only its documentation directory. Also the names that exist in one
//! family only (`build-base` is Alpine's `build-essential`), so the wrong one
//! fails as it would, and the generic program for installed tools the playground
//! cannot run.
//!
//! Invariant: tables only; the package managers decide what to do with them.

use super::support::{self, Res};
use crate::shell::proc::Ctx;

/// A file a package installs. Paths are absolute; `Exe` names the stand-in program.
#[derive(Clone, Copy, Debug)]
pub enum F {
    Exe(&'static str, &'static str),
    Text(&'static str, &'static str),
    Dir(&'static str),
    Link(&'static str, &'static str),
    /// A file of the given size (zeros after a header line).
    Sized(&'static str, usize),
}

/// A package of the catalogue.
pub struct Pkg {
    pub name: &'static str,
    pub desc: &'static str,
    /// Extra packages apt installs with it (Debian/Ubuntu).
    pub deb_deps: &'static [&'static str],
    /// Extra packages apk installs with it (Alpine).
    pub apk_deps: &'static [&'static str],
    /// Recommended packages apt adds unless `--no-install-recommends`.
    pub recommends: &'static [&'static str],
    pub suggests: &'static [&'static str],
    /// Versions: Ubuntu 14.04, other Debian/Ubuntu, Alpine 3.9, later Alpine.
    pub trusty: &'static str,
    pub debian: &'static str,
    pub alpine39: &'static str,
    pub alpine: &'static str,
    pub size_kb: u32,
    pub files: &'static [F],
    /// Files on Alpine when they differ (`None`: the same as `files`).
    pub apk_files: Option<&'static [F]>,
}

const APACHE_DEB: &[F] = &[
    F::Exe("/usr/sbin/apache2", "apache2"),
    F::Exe("/usr/sbin/apache2ctl", "apache2ctl"),
    F::Link("/usr/sbin/apachectl", "apache2ctl"),
    F::Exe("/usr/sbin/a2enmod", "a2enmod"),
    F::Exe("/usr/sbin/a2ensite", "a2ensite"),
    F::Exe("/usr/sbin/a2dissite", "a2dissite"),
    F::Text("/etc/apache2/apache2.conf", "# This is the main Apache server configuration file.\n# dfplay: installed by the simulated apt-get\nDefaultRuntimeDir ${APACHE_RUN_DIR}\nPidFile ${APACHE_PID_FILE}\nTimeout 300\nKeepAlive On\nUser ${APACHE_RUN_USER}\nGroup ${APACHE_RUN_GROUP}\nErrorLog ${APACHE_LOG_DIR}/error.log\nLogLevel warn\nIncludeOptional mods-enabled/*.load\nIncludeOptional mods-enabled/*.conf\nInclude ports.conf\n<Directory /var/www/>\n\tOptions Indexes FollowSymLinks\n\tAllowOverride None\n\tRequire all granted\n</Directory>\nAccessFileName .htaccess\nIncludeOptional conf-enabled/*.conf\nIncludeOptional sites-enabled/*.conf\n"),
    F::Text("/etc/apache2/ports.conf", "# If you just change the port or add more ports here, you will likely also\n# have to change the VirtualHost statement in\n# /etc/apache2/sites-enabled/000-default.conf\n\nListen 80\n\n<IfModule ssl_module>\n\tListen 443\n</IfModule>\n"),
    F::Text("/etc/apache2/envvars", "# envvars - default environment variables for apache2ctl\nexport APACHE_RUN_USER=www-data\nexport APACHE_RUN_GROUP=www-data\nexport APACHE_PID_FILE=/var/run/apache2/apache2.pid\nexport APACHE_RUN_DIR=/var/run/apache2\nexport APACHE_LOCK_DIR=/var/lock/apache2\nexport APACHE_LOG_DIR=/var/log/apache2\nexport LANG=C\n"),
    F::Text("/etc/apache2/sites-available/000-default.conf", "<VirtualHost *:80>\n\tServerAdmin webmaster@localhost\n\tDocumentRoot /var/www/html\n\n\tErrorLog ${APACHE_LOG_DIR}/error.log\n\tCustomLog ${APACHE_LOG_DIR}/access.log combined\n</VirtualHost>\n"),
    F::Link("/etc/apache2/sites-enabled/000-default.conf", "../sites-available/000-default.conf"),
    F::Dir("/etc/apache2/mods-enabled"),
    F::Dir("/etc/apache2/conf-enabled"),
    F::Text("/var/www/html/index.html", "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\n  <head>\n    <meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\" />\n    <title>Apache2 Ubuntu Default Page: It works</title>\n  </head>\n  <body>\n    <div class=\"main_page\">\n      <div class=\"page_header floating_element\">\n        <span class=\"floating_element\">Apache2 Ubuntu Default Page</span>\n      </div>\n      <div class=\"section_header\">It works!</div>\n      <p>This is the default welcome page used to test the correct operation of the Apache2 server after installation on Ubuntu systems.</p>\n    </div>\n  </body>\n</html>\n"),
    F::Dir("/var/log/apache2"),
    F::Dir("/var/lib/apache2"),
    F::Dir("/var/run/apache2"),
    F::Dir("/var/lock/apache2"),
];

const APACHE_APK: &[F] = &[
    F::Exe("/usr/sbin/httpd", "httpd"),
    F::Exe("/usr/sbin/apachectl", "apachectl"),
    F::Text("/etc/apache2/httpd.conf", "# dfplay: installed by the simulated apk\nServerRoot /var/www\nListen 80\nUser apache\nGroup apache\nDocumentRoot \"/var/www/localhost/htdocs\"\nErrorLog logs/error.log\nIncludeOptional /etc/apache2/conf.d/*.conf\n"),
    F::Dir("/etc/apache2/conf.d"),
    F::Text("/var/www/localhost/htdocs/index.html", "<html><body><h1>It works!</h1></body></html>\n"),
    F::Dir("/var/log/apache2"),
    F::Dir("/run/apache2"),
];

const NGINX_DEB: &[F] = &[
    F::Exe("/usr/sbin/nginx", "nginx"),
    F::Text("/etc/nginx/nginx.conf", "user www-data;\nworker_processes auto;\npid /run/nginx.pid;\n\nevents {\n\tworker_connections 768;\n}\n\nhttp {\n\tsendfile on;\n\tinclude /etc/nginx/mime.types;\n\tdefault_type application/octet-stream;\n\taccess_log /var/log/nginx/access.log;\n\terror_log /var/log/nginx/error.log;\n\tinclude /etc/nginx/conf.d/*.conf;\n\tinclude /etc/nginx/sites-enabled/*;\n}\n"),
    F::Text("/etc/nginx/mime.types", "types {\n    text/html html htm;\n    text/css css;\n    application/javascript js;\n}\n"),
    F::Text("/etc/nginx/sites-available/default", "server {\n\tlisten 80 default_server;\n\tlisten [::]:80 default_server;\n\n\troot /var/www/html;\n\tindex index.html index.htm index.nginx-debian.html;\n\tserver_name _;\n\n\tlocation / {\n\t\ttry_files $uri $uri/ =404;\n\t}\n}\n"),
    F::Link("/etc/nginx/sites-enabled/default", "/etc/nginx/sites-available/default"),
    F::Dir("/etc/nginx/conf.d"),
    F::Text("/var/www/html/index.nginx-debian.html", "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and working.</p>\n</body>\n</html>\n"),
    F::Dir("/var/log/nginx"),
    F::Dir("/var/lib/nginx"),
];

const NGINX_APK: &[F] = &[
    F::Exe("/usr/sbin/nginx", "nginx"),
    F::Text("/etc/nginx/nginx.conf", "user nginx;\nworker_processes auto;\npcre_jit on;\nerror_log /var/log/nginx/error.log warn;\ninclude /etc/nginx/modules/*.conf;\n\nevents {\n\tworker_connections 1024;\n}\n\nhttp {\n\tinclude /etc/nginx/mime.types;\n\tdefault_type application/octet-stream;\n\tsendfile on;\n\taccess_log /var/log/nginx/access.log;\n\tinclude /etc/nginx/http.d/*.conf;\n}\n"),
    F::Text("/etc/nginx/mime.types", "types {\n    text/html html htm;\n}\n"),
    F::Text("/etc/nginx/http.d/default.conf", "# This is a default site configuration which will simply return 404, preventing\n# chance access to any other virtualhost.\n\nserver {\n\tlisten 80 default_server;\n\tlisten [::]:80 default_server;\n\n\t# Everything is a 404\n\tlocation / {\n\t\treturn 404;\n\t}\n}\n"),
    F::Text("/var/lib/nginx/html/index.html", "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n"),
    F::Dir("/var/log/nginx"),
    F::Dir("/run/nginx"),
];

/// PEP 668's marker, as Debian 12 and Alpine 3.19+ ship it with their Python.
const EXTERNALLY_MANAGED: &str = "[externally-managed]\nError=To install Python packages system-wide, try apt install\n python3-xyz, where xyz is the package you are trying to\n install.\n";

const CA_CERTS: &[F] = &[F::Sized("/etc/ssl/certs/ca-certificates.crt", 213_777), F::Dir("/usr/share/ca-certificates/mozilla")];

/// A dependency known only by its versions.
const fn dep(name: &'static str, desc: &'static str, trusty: &'static str, debian: &'static str, alpine39: &'static str, alpine: &'static str, size_kb: u32) -> Pkg {
    Pkg { name, desc, deb_deps: &[], apk_deps: &[], recommends: &[], suggests: &[], trusty, debian, alpine39, alpine, size_kb, files: &[], apk_files: None }
}

const PKGS: &[Pkg] = &[
    dep("apache2-bin", "Apache HTTP Server (modules and other binary files)", "2.4.7-1ubuntu4.22", "2.4.62-1~deb12u2", "", "", 3_500),
    dep("apache2-data", "Apache HTTP Server (common files)", "2.4.7-1ubuntu4.22", "2.4.62-1~deb12u2", "", "", 850),
    dep("apache2-utils", "Apache HTTP Server (utility programs for web servers)", "2.4.7-1ubuntu4.22", "2.4.62-1~deb12u2", "2.4.46-r0", "2.4.62-r0", 330),
    dep("libapr1", "Apache Portable Runtime Library", "1.5.0-1", "1.7.2-3+deb12u1", "", "", 250),
    dep("libaprutil1", "Apache Portable Runtime Utility Library", "1.5.3-1", "1.6.3-1", "", "", 230),
    dep("libaprutil1-dbd-sqlite3", "Apache Portable Runtime Utility Library - SQLite3 Driver", "1.5.3-1", "1.6.3-1", "", "", 45),
    dep("libaprutil1-ldap", "Apache Portable Runtime Utility Library - LDAP Driver", "1.5.3-1", "1.6.3-1", "", "", 40),
    dep("ssl-cert", "simple debconf wrapper for OpenSSL", "1.0.33", "1.1.2", "", "", 60),
    dep("libcurl4", "easy-to-use client-side URL transfer library (OpenSSL flavour)", "", "7.88.1-10+deb12u8", "", "", 800),
    dep("libcurl3", "easy-to-use client-side URL transfer library (OpenSSL flavour)", "7.35.0-1ubuntu2.20", "", "", "", 500),
    dep("libcurl", "The multiprotocol file transfer library", "", "", "7.64.0-r5", "8.11.1-r0", 600),
    dep("nghttp2-libs", "Experimental HTTP/2 client, server and proxy (libraries)", "", "", "1.35.1-r2", "1.62.1-r0", 170),
    dep("brotli-libs", "Generic lossless compressor (libraries)", "", "", "", "1.1.0-r2", 720),
    dep("c-ares", "An asynchronously DNS/names resolver library", "", "", "1.15.0-r0", "1.33.1-r0", 120),
    dep("libssh2-1", "SSH2 client-side library", "1.4.3-2", "1.10.0-3+b1", "", "", 280),
    dep("readline", "GNU readline library", "", "", "7.0.003-r1", "8.2.10-r0", 280),
    dep("ncurses-terminfo-base", "Descriptions of common terminals", "", "", "6.1_p20190105-r0", "6.4_p20240420-r2", 220),
    dep("pcre2", "Perl-compatible regular expression library", "", "", "10.32-r1", "10.43-r0", 500),
    dep("expat", "XML Parser library written in C", "", "", "2.2.8-r0", "2.6.4-r0", 200),
    dep("git-man", "fast, scalable, distributed revision control system (manual pages)", "1:1.9.1-1ubuntu0.10", "1:2.39.5-0+deb12u1", "", "", 1_900),
    dep("liberror-perl", "Perl module for error/exception handling in an OO-ish way", "0.17-1.1", "0.17029-2", "", "", 60),
    Pkg {
        name: "apache2",
        desc: "Apache HTTP Server",
        deb_deps: &["apache2-bin", "apache2-data", "libapr1", "libaprutil1", "libaprutil1-dbd-sqlite3", "libaprutil1-ldap"],
        apk_deps: &["apr", "apr-util", "pcre2", "libuuid"],
        recommends: &["ssl-cert"],
        suggests: &["www-browser", "apache2-doc", "apache2-suexec-pristine", "apache2-suexec-custom", "ufw"],
        trusty: "2.4.7-1ubuntu4.22",
        debian: "2.4.62-1~deb12u2",
        alpine39: "2.4.46-r0",
        alpine: "2.4.62-r0",
        size_kb: 5_348,
        files: APACHE_DEB,
        apk_files: Some(APACHE_APK),
    },
    Pkg {
        name: "nginx",
        desc: "small, powerful, scalable web/proxy server",
        deb_deps: &["nginx-common", "nginx-core", "libgd3", "libjpeg8", "libxslt1.1", "fontconfig-config"],
        apk_deps: &["pcre"],
        recommends: &[],
        suggests: &["fcgiwrap", "nginx-doc", "ssl-cert"],
        trusty: "1.4.6-1ubuntu3.9",
        debian: "1.22.1-9+deb12u1",
        alpine39: "1.14.2-r5",
        alpine: "1.26.2-r0",
        size_kb: 3_120,
        files: NGINX_DEB,
        apk_files: Some(NGINX_APK),
    },
    Pkg {
        name: "curl",
        desc: "command line tool for transferring data with URL syntax",
        deb_deps: &["libcurl4", "libnghttp2-14", "librtmp1", "libssh2-1"],
        apk_deps: &["ca-certificates", "nghttp2-libs", "libcurl"],
        recommends: &["ca-certificates"],
        suggests: &[],
        trusty: "7.35.0-1ubuntu2.20",
        debian: "7.88.1-10+deb12u8",
        alpine39: "7.64.0-r5",
        alpine: "8.11.1-r0",
        size_kb: 470,
        files: &[F::Exe("/usr/bin/curl", "curl")],
        apk_files: None,
    },
    Pkg { name: "wget", desc: "retrieves files from the web", deb_deps: &[], apk_deps: &["libidn2", "libunistring", "pcre2"], recommends: &["ca-certificates"], suggests: &[], trusty: "1.15-1ubuntu1.14.04.5", debian: "1.21.3-1+b2", alpine39: "1.20.3-r0", alpine: "1.24.5-r0", size_kb: 3_400, files: &[F::Exe("/usr/bin/wget", "wget")], apk_files: None },
    Pkg {
        name: "git",
        desc: "fast, scalable, distributed revision control system",
        deb_deps: &["git-man", "liberror-perl", "libcurl3-gnutls", "less"],
        apk_deps: &["libcurl", "expat", "pcre2"],
        recommends: &["patch", "openssh-client"],
        suggests: &["gettext-base", "git-daemon-run", "git-doc", "git-el", "git-email", "git-gui", "gitk", "gitweb", "git-cvs", "git-mediawiki", "git-svn"],
        trusty: "1:1.9.1-1ubuntu0.10",
        debian: "1:2.39.5-0+deb12u1",
        alpine39: "2.20.4-r0",
        alpine: "2.45.2-r0",
        size_kb: 36_000,
        files: &[F::Exe("/usr/bin/git", "git"), F::Dir("/usr/share/git-core/templates")],
        apk_files: None,
    },
    Pkg { name: "vim", desc: "Vi IMproved - enhanced vi editor", deb_deps: &["vim-common", "vim-runtime", "libgpm2", "libpython3.4"], apk_deps: &["xxd", "vim-common"], recommends: &[], suggests: &["ctags", "vim-doc", "vim-scripts"], trusty: "2:7.4.052-1ubuntu3.1", debian: "2:9.0.1378-2+deb12u2", alpine39: "8.1.1365-r0", alpine: "9.1.0707-r0", size_kb: 30_000, files: &[F::Exe("/usr/bin/vim", "vim"), F::Link("/usr/bin/vi", "vim")], apk_files: None },
    Pkg { name: "nano", desc: "small, friendly text editor inspired by Pico", deb_deps: &[], apk_deps: &["libmagic"], recommends: &[], suggests: &["spell"], trusty: "2.2.6-1ubuntu1", debian: "7.2-1+deb12u1", alpine39: "3.2-r0", alpine: "8.0-r0", size_kb: 2_600, files: &[F::Exe("/bin/nano", "nano")], apk_files: Some(&[F::Exe("/usr/bin/nano", "nano")]) },
    Pkg {
        name: "python3",
        desc: "interactive high-level object-oriented language (default python3 version)",
        deb_deps: &["python3-minimal", "libpython3-stdlib", "python3.11", "python3.11-minimal", "libexpat1", "libffi8", "libsqlite3-0", "media-types"],
        apk_deps: &["libffi", "gdbm", "xz-libs", "mpdecimal", "readline", "sqlite-libs"],
        recommends: &[],
        suggests: &["python3-doc", "python3-tk", "python3-venv"],
        trusty: "3.4.0-0ubuntu2",
        debian: "3.11.2-1+b1",
        alpine39: "3.6.9-r3",
        alpine: "3.12.8-r1",
        size_kb: 25_000,
        files: &[F::Exe("/usr/bin/python3", "python3"), F::Text("/usr/lib/python3.11/EXTERNALLY-MANAGED", EXTERNALLY_MANAGED)],
        apk_files: Some(&[F::Exe("/usr/bin/python3", "python3"), F::Text("/usr/lib/python3.12/EXTERNALLY-MANAGED", EXTERNALLY_MANAGED)]),
    },
    Pkg { name: "python3-pip", desc: "Python package installer", deb_deps: &["python3-setuptools", "python3-wheel", "python3-pkg-resources"], apk_deps: &[], recommends: &["build-essential", "python3-dev"], suggests: &[], trusty: "1.5.4-1ubuntu4", debian: "23.0.1+dfsg-1", alpine39: "", alpine: "", size_kb: 8_000, files: &[F::Exe("/usr/bin/pip3", "pip")], apk_files: None },
    Pkg { name: "py3-pip", desc: "Tool for installing and managing Python packages", deb_deps: &[], apk_deps: &["py3-setuptools", "py3-packaging"], recommends: &[], suggests: &[], trusty: "", debian: "", alpine39: "18.1-r0", alpine: "24.0-r2", size_kb: 8_000, files: &[F::Exe("/usr/bin/pip3", "pip"), F::Link("/usr/bin/pip", "pip3")], apk_files: None },
    Pkg { name: "python-pip", desc: "Python package installer (Python 2)", deb_deps: &["python-setuptools", "python2.7"], apk_deps: &[], recommends: &[], suggests: &[], trusty: "1.5.4-1ubuntu4", debian: "", alpine39: "", alpine: "", size_kb: 8_000, files: &[F::Exe("/usr/bin/pip", "pip")], apk_files: None },
    Pkg { name: "ca-certificates", desc: "Common CA certificates", deb_deps: &["openssl"], apk_deps: &[], recommends: &[], suggests: &[], trusty: "20170717~14.04.2", debian: "20230311", alpine39: "20191127-r2", alpine: "20240705-r0", size_kb: 420, files: CA_CERTS, apk_files: None },
    Pkg { name: "build-essential", desc: "Informational list of build-essential packages", deb_deps: &["gcc", "g++", "make", "dpkg-dev", "libc6-dev", "binutils", "cpp", "libstdc++-12-dev", "patch"], apk_deps: &[], recommends: &[], suggests: &[], trusty: "11.6ubuntu6", debian: "12.9", alpine39: "", alpine: "", size_kb: 20, files: &[], apk_files: None },
    Pkg { name: "build-base", desc: "Meta package for build base", deb_deps: &[], apk_deps: &["gcc", "g++", "make", "musl-dev", "binutils", "libc-dev", "fortify-headers", "patch"], recommends: &[], suggests: &[], trusty: "", debian: "", alpine39: "0.5-r1", alpine: "0.5-r3", size_kb: 4, files: &[], apk_files: None },
    Pkg { name: "gcc", desc: "GNU C compiler", deb_deps: &["cpp", "binutils", "libgcc-12-dev"], apk_deps: &["binutils", "libgomp", "libatomic", "mpc1"], recommends: &["libc6-dev"], suggests: &["gcc-multilib", "autoconf", "automake", "libtool", "flex", "bison", "gcc-doc"], trusty: "4:4.8.2-1ubuntu6", debian: "4:12.2.0-3", alpine39: "8.3.0-r0", alpine: "13.2.1_git20240309-r0", size_kb: 50_000, files: &[F::Exe("/usr/bin/gcc", "gcc"), F::Link("/usr/bin/cc", "gcc")], apk_files: None },
    Pkg { name: "g++", desc: "GNU C++ compiler", deb_deps: &["gcc", "libstdc++-12-dev"], apk_deps: &["gcc", "libstdc++-dev"], recommends: &[], suggests: &[], trusty: "4:4.8.2-1ubuntu6", debian: "4:12.2.0-3", alpine39: "8.3.0-r0", alpine: "13.2.1_git20240309-r0", size_kb: 40_000, files: &[F::Exe("/usr/bin/g++", "g++"), F::Link("/usr/bin/c++", "g++")], apk_files: None },
    Pkg { name: "make", desc: "utility for directing compilation", deb_deps: &[], apk_deps: &[], recommends: &[], suggests: &["make-doc"], trusty: "3.81-8.2ubuntu3", debian: "4.3-4.1", alpine39: "4.2.1-r2", alpine: "4.4.1-r2", size_kb: 1_400, files: &[F::Exe("/usr/bin/make", "make")], apk_files: None },
    Pkg {
        name: "openjdk-11-jre-headless",
        desc: "OpenJDK Java runtime, using Hotspot JIT (headless)",
        deb_deps: &["ca-certificates-java", "java-common", "libnss3", "libpcsclite1"],
        apk_deps: &[],
        recommends: &[],
        suggests: &["fonts-dejavu-extra", "fonts-ipafont-gothic"],
        trusty: "",
        debian: "11.0.25+9-1~deb11u1",
        alpine39: "",
        alpine: "",
        size_kb: 190_000,
        files: &[F::Exe("/usr/lib/jvm/java-11-openjdk-amd64/bin/java", "java"), F::Link("/usr/bin/java", "/usr/lib/jvm/java-11-openjdk-amd64/bin/java")],
        apk_files: None,
    },
    Pkg {
        name: "openjdk-17-jre-headless",
        desc: "OpenJDK Java runtime, using Hotspot JIT (headless)",
        deb_deps: &["ca-certificates-java", "java-common", "libnss3", "libpcsclite1"],
        apk_deps: &[],
        recommends: &[],
        suggests: &[],
        trusty: "",
        debian: "17.0.13+11-2~deb12u1",
        alpine39: "",
        alpine: "",
        size_kb: 200_000,
        files: &[F::Exe("/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "java"), F::Link("/usr/bin/java", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java")],
        apk_files: None,
    },
    Pkg {
        name: "default-jre",
        desc: "Standard Java or Java compatible Runtime",
        deb_deps: &["default-jre-headless", "openjdk-17-jre", "openjdk-17-jre-headless", "java-common"],
        apk_deps: &[],
        recommends: &[],
        suggests: &[],
        trusty: "2:1.7-51",
        debian: "2:1.17-74",
        alpine39: "",
        alpine: "",
        size_kb: 1,
        files: &[F::Exe("/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "java"), F::Link("/usr/bin/java", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java")],
        apk_files: None,
    },
    Pkg {
        name: "openjdk11-jre",
        desc: "OpenJDK 11 Java Runtime",
        deb_deps: &[],
        apk_deps: &["openjdk11-jre-headless", "java-common", "java-cacerts"],
        recommends: &[],
        suggests: &[],
        trusty: "",
        debian: "",
        alpine39: "11.0.5_p10-r0",
        alpine: "11.0.25_p9-r0",
        size_kb: 190_000,
        files: &[F::Exe("/usr/lib/jvm/java-11-openjdk/bin/java", "java"), F::Link("/usr/bin/java", "/usr/lib/jvm/java-11-openjdk/bin/java")],
        apk_files: None,
    },
    Pkg { name: "nodejs", desc: "evented I/O for V8 javascript - runtime executable", deb_deps: &["libnode108", "libc-ares2", "libuv1"], apk_deps: &["ca-certificates", "c-ares", "libuv", "icu-libs"], recommends: &["nodejs-doc"], suggests: &[], trusty: "0.10.25~dfsg2-2ubuntu1.2", debian: "18.19.0+dfsg-6~deb12u2", alpine39: "10.19.0-r0", alpine: "20.15.1-r0", size_kb: 40_000, files: &[F::Exe("/usr/bin/node", "node"), F::Link("/usr/bin/nodejs", "node")], apk_files: None },
    Pkg { name: "npm", desc: "package manager for Node.js", deb_deps: &["nodejs", "node-gyp"], apk_deps: &["nodejs"], recommends: &[], suggests: &[], trusty: "1.3.10~dfsg-1", debian: "9.2.0~ds1-2", alpine39: "10.19.0-r0", alpine: "10.9.1-r0", size_kb: 10_000, files: &[F::Exe("/usr/bin/npm", "npm"), F::Exe("/usr/bin/npx", "npx")], apk_files: None },
    Pkg { name: "bash", desc: "The GNU Bourne Again shell", deb_deps: &[], apk_deps: &["readline", "ncurses-terminfo-base"], recommends: &[], suggests: &[], trusty: "4.3-7ubuntu1.7", debian: "5.2.15-2+b7", alpine39: "4.4.19-r1", alpine: "5.2.26-r0", size_kb: 1_200, files: &[F::Exe("/bin/bash", "bash")], apk_files: None },
    Pkg { name: "tzdata", desc: "time zone and daylight-saving time data", deb_deps: &[], apk_deps: &[], recommends: &[], suggests: &[], trusty: "2019c-0ubuntu0.14.04", debian: "2024a-0+deb12u1", alpine39: "2020a-r0", alpine: "2024b-r0", size_kb: 3_000, files: &[F::Sized("/usr/share/zoneinfo/UTC", 114), F::Sized("/usr/share/zoneinfo/Asia/Seoul", 415), F::Sized("/usr/share/zoneinfo/Europe/London", 3_664), F::Sized("/usr/share/zoneinfo/America/New_York", 3_552)], apk_files: None },
    Pkg { name: "openssl", desc: "Secure Sockets Layer toolkit - cryptographic utility", deb_deps: &["libssl3"], apk_deps: &["libssl3", "libcrypto3"], recommends: &[], suggests: &[], trusty: "1.0.1f-1ubuntu2.27", debian: "3.0.15-1~deb12u1", alpine39: "1.1.1g-r0", alpine: "3.3.2-r1", size_kb: 2_000, files: &[F::Exe("/usr/bin/openssl", "openssl")], apk_files: None },
    Pkg { name: "openssh-client", desc: "secure shell (SSH) client", deb_deps: &["libfido2-1", "libcbor0.8"], apk_deps: &["openssh-keygen"], recommends: &["xauth"], suggests: &["keychain", "libpam-ssh", "monkeysphere", "ssh-askpass"], trusty: "1:6.6p1-2ubuntu2.13", debian: "1:9.2p1-2+deb12u3", alpine39: "7.9_p1-r6", alpine: "9.7_p1-r4", size_kb: 4_800, files: &[F::Exe("/usr/bin/ssh", "ssh"), F::Exe("/usr/bin/scp", "scp")], apk_files: None },
    Pkg { name: "jq", desc: "lightweight and flexible command-line JSON processor", deb_deps: &["libjq1", "libonig5"], apk_deps: &["oniguruma"], recommends: &[], suggests: &[], trusty: "1.3-1.1ubuntu1.1", debian: "1.6-2.1", alpine39: "1.6-r0", alpine: "1.7.1-r0", size_kb: 110, files: &[F::Exe("/usr/bin/jq", "jq")], apk_files: None },
    Pkg { name: "sudo", desc: "Provide limited super user privileges to specific users", deb_deps: &[], apk_deps: &[], recommends: &[], suggests: &["ldap-utils", "apparmor"], trusty: "1.8.9p5-1ubuntu1.4", debian: "1.9.13p3-1+deb12u1", alpine39: "1.8.27-r0", alpine: "1.9.15_p5-r0", size_kb: 6_000, files: &[F::Exe("/usr/bin/sudo", "sudo"), F::Text("/etc/sudoers", "root\tALL=(ALL:ALL) ALL\n%sudo\tALL=(ALL:ALL) ALL\n")], apk_files: None },
    Pkg { name: "unzip", desc: "De-archiver for .zip files", deb_deps: &[], apk_deps: &[], recommends: &[], suggests: &["zip"], trusty: "6.0-9ubuntu1.5", debian: "6.0-28", alpine39: "6.0-r4", alpine: "6.0-r14", size_kb: 380, files: &[F::Exe("/usr/bin/unzip", "unzip")], apk_files: None },
    Pkg { name: "zip", desc: "Archiver for .zip files", deb_deps: &[], apk_deps: &[], recommends: &[], suggests: &[], trusty: "3.0-8", debian: "3.0-13", alpine39: "3.0-r7", alpine: "3.0-r12", size_kb: 640, files: &[F::Exe("/usr/bin/zip", "zip")], apk_files: None },
    Pkg { name: "iputils-ping", desc: "Tools to test the reachability of network hosts", deb_deps: &["libcap2-bin"], apk_deps: &[], recommends: &[], suggests: &[], trusty: "3:20121221-4ubuntu1.1", debian: "3:20221126-1", alpine39: "", alpine: "", size_kb: 120, files: &[F::Exe("/bin/ping", "ping")], apk_files: None },
    Pkg { name: "net-tools", desc: "NET-3 networking toolkit", deb_deps: &[], apk_deps: &[], recommends: &[], suggests: &[], trusty: "1.60-25ubuntu2.1", debian: "2.10-0.1", alpine39: "1.60_git20140218-r2", alpine: "2.10-r3", size_kb: 800, files: &[F::Exe("/sbin/ifconfig", "ifconfig"), F::Exe("/bin/netstat", "netstat")], apk_files: None },
    Pkg { name: "procps", desc: "/proc file system utilities", deb_deps: &["libprocps8"], apk_deps: &[], recommends: &["psmisc"], suggests: &[], trusty: "1:3.3.9-1ubuntu2.3", debian: "2:4.0.2-3", alpine39: "3.3.15-r0", alpine: "4.0.4-r0", size_kb: 1_400, files: &[F::Exe("/bin/ps", "ps"), F::Exe("/usr/bin/top", "top")], apk_files: None },
    Pkg { name: "dnsutils", desc: "Clients provided with BIND (transitional)", deb_deps: &["bind9-dnsutils", "bind9-libs"], apk_deps: &[], recommends: &[], suggests: &[], trusty: "1:9.9.5.dfsg-3ubuntu0.19", debian: "1:9.18.28-1~deb12u2", alpine39: "", alpine: "", size_kb: 600, files: &[F::Exe("/usr/bin/dig", "dig"), F::Exe("/usr/bin/nslookup", "nslookup")], apk_files: None },
    Pkg { name: "bind-tools", desc: "The ISC DNS tools", deb_deps: &[], apk_deps: &["bind-libs"], recommends: &[], suggests: &[], trusty: "", debian: "", alpine39: "9.12.4_p2-r0", alpine: "9.18.31-r0", size_kb: 600, files: &[F::Exe("/usr/bin/dig", "dig"), F::Exe("/usr/bin/nslookup", "nslookup")], apk_files: None },
    Pkg { name: "redis-server", desc: "Persistent key-value database with network interface", deb_deps: &["redis-tools", "libjemalloc2", "liblzf1"], apk_deps: &[], recommends: &[], suggests: &["ruby-redis"], trusty: "2:2.8.4-2ubuntu0.2", debian: "5:7.0.15-1~deb12u1", alpine39: "", alpine: "", size_kb: 2_000, files: &[F::Exe("/usr/bin/redis-server", "redis-server"), F::Exe("/usr/bin/redis-cli", "redis-cli")], apk_files: None },
    Pkg { name: "supervisor", desc: "System for controlling process state", deb_deps: &["python3-pkg-resources"], apk_deps: &["py3-setuptools"], recommends: &[], suggests: &["supervisor-doc"], trusty: "3.0b2-1ubuntu0.1", debian: "4.2.5-1", alpine39: "3.3.5-r0", alpine: "4.2.5-r5", size_kb: 1_700, files: &[F::Exe("/usr/bin/supervisord", "supervisord"), F::Exe("/usr/bin/supervisorctl", "supervisorctl")], apk_files: None },
    Pkg { name: "tini", desc: "tiny but valid init for containers", deb_deps: &[], apk_deps: &[], recommends: &[], suggests: &[], trusty: "", debian: "0.19.0-1", alpine39: "0.18.0-r0", alpine: "0.19.0-r3", size_kb: 800, files: &[F::Exe("/usr/bin/tini", "tini")], apk_files: Some(&[F::Exe("/sbin/tini", "tini")]) },
    Pkg { name: "less", desc: "pager program similar to more", deb_deps: &[], apk_deps: &[], recommends: &[], suggests: &[], trusty: "458-2", debian: "590-2.1~deb12u2", alpine39: "530-r0", alpine: "661-r0", size_kb: 300, files: &[F::Exe("/usr/bin/less", "less")], apk_files: None },
    Pkg { name: "locales", desc: "GNU C Library: National Language (locale) data", deb_deps: &[], apk_deps: &[], recommends: &[], suggests: &[], trusty: "2.13+git20120306-12.1", debian: "2.36-9+deb12u9", alpine39: "", alpine: "", size_kb: 16_000, files: &[F::Exe("/usr/sbin/locale-gen", "locale-gen"), F::Text("/etc/locale.gen", "# en_US.UTF-8 UTF-8\n")], apk_files: None },
];

/// Names that exist on Alpine only (apt cannot locate them).
const ALPINE_ONLY: &[&str] = &[
    "build-base", "py3-pip", "py3-setuptools", "openssl-dev", "musl-dev", "libc-dev", "alpine-sdk", "bind-tools", "openjdk11-jre", "openjdk17-jre", "openjdk8-jre", "linux-headers", "shadow", "su-exec",
];

/// Names that exist on Debian/Ubuntu only (apk cannot select them).
const DEBIAN_ONLY: &[&str] = &[
    "build-essential", "python3-pip", "python-pip", "python3-dev", "python3-venv", "libssl-dev", "openjdk-11-jre", "openjdk-11-jre-headless", "openjdk-17-jre-headless", "openjdk-11-jdk", "default-jre", "default-jdk", "software-properties-common", "apt-transport-https", "dnsutils", "iputils-ping", "netcat", "vim-tiny", "lsb-release", "gnupg2", "apache2-utils-bin", "locales", "libpq-dev", "zlib1g-dev", "libxml2-dev", "redis-server",
];

/// The catalogue entry for `name`.
pub fn find(name: &str) -> Option<&'static Pkg> {
    PKGS.iter().find(|p| p.name == name)
}

/// Which package family asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Trusty,
    Debian,
    Alpine39,
    Alpine,
}

impl Family {
    pub fn is_alpine(self) -> bool {
        matches!(self, Family::Alpine | Family::Alpine39)
    }
}

/// Whether `name` can be found by this family's package manager (once its index is present).
pub fn locatable(family: Family, name: &str) -> bool {
    let valid = !name.is_empty()
        && name.len() <= 100
        && name.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || (family.is_alpine() && c == '.'))
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+-._".contains(c));
    if !valid {
        return false;
    }
    if let Some(p) = find(name) {
        let v = version_in(p, family);
        return !v.is_empty();
    }
    if family.is_alpine() {
        !DEBIAN_ONLY.contains(&name)
    } else {
        !ALPINE_ONLY.contains(&name)
    }
}

fn version_in(p: &Pkg, f: Family) -> &'static str {
    match f {
        Family::Trusty => p.trusty,
        Family::Debian => p.debian,
        Family::Alpine39 => p.alpine39,
        Family::Alpine => p.alpine,
    }
}

/// The version `name` installs at.
pub fn version(family: Family, name: &str) -> String {
    if let Some(p) = find(name) {
        let v = version_in(p, family);
        if !v.is_empty() {
            return v.to_string();
        }
    }
    let h = support::fnv(name.as_bytes());
    match family {
        Family::Alpine | Family::Alpine39 => format!("{}.{}.{}-r{}", 1 + h % 4, (h >> 8) % 12, (h >> 16) % 9, (h >> 24) % 4),
        Family::Trusty => format!("{}.{}.{}-{}ubuntu{}", 1 + h % 4, (h >> 8) % 12, (h >> 16) % 9, 1 + (h >> 24) % 3, 1 + (h >> 28) % 4),
        Family::Debian => format!("{}.{}.{}-{}", 1 + h % 4, (h >> 8) % 12, (h >> 16) % 9, 1 + (h >> 24) % 5),
    }
}

/// The extra packages `name` pulls in.
pub fn deps(family: Family, name: &str) -> &'static [&'static str] {
    match find(name) {
        Some(p) if family.is_alpine() => p.apk_deps,
        Some(p) => p.deb_deps,
        None => &[],
    }
}

/// Installed size in kB.
pub fn size_kb(name: &str) -> u32 {
    find(name).map(|p| p.size_kb).unwrap_or_else(|| 40 + (support::fnv(name.as_bytes()) % 900) as u32)
}

pub fn description(name: &str) -> String {
    find(name).map(|p| p.desc.to_string()).unwrap_or_else(|| format!("{name} (installed by the simulated package manager)"))
}

/// The files `name` installs on this family.
pub fn files(family: Family, name: &str) -> &'static [F] {
    match find(name) {
        Some(p) if family.is_alpine() => p.apk_files.unwrap_or(p.files),
        Some(p) => p.files,
        None => &[],
    }
}

/// Programs installed by catalogue packages that have no simulation of their own.
pub fn tool_names() -> impl Iterator<Item = &'static str> {
    PKGS.iter().flat_map(|p| p.files.iter().chain(p.apk_files.unwrap_or(&[]).iter())).filter_map(|f| match f {
        F::Exe(_, name) if is_generic(name) => Some(*name),
        _ => None,
    })
}

/// Names handled by a simulation or by the shell's own utilities are not generic.
fn is_generic(name: &str) -> bool {
    !matches!(
        name,
        "apache2" | "apache2ctl" | "apachectl" | "httpd" | "nginx" | "curl" | "wget" | "git" | "gcc" | "g++" | "make" | "python3" | "pip" | "java" | "node" | "npm" | "npx" | "bash"
    )
}

/// Whether a stand-in name is a catalogue tool the generic program answers.
pub fn is_tool(name: &str) -> bool {
    tool_names().any(|t| t == name) || name == "npm-package-bin"
}

/// Writes a package's files.
pub fn install_files(ctx: &mut Ctx<'_>, family: Family, name: &str, version: &str) -> Result<Vec<String>, crate::vfs::FsError> {
    let mut written = Vec::new();
    for f in files(family, name) {
        match *f {
            F::Exe(p, prog) => {
                support::write_standin(ctx, p, prog, &format!("{prog} from the package {name} {version} (installed by the simulated package manager)"))?;
                written.push(p.to_string());
            }
            F::Text(p, body) => {
                support::write_file(ctx, p, body.as_bytes().to_vec(), 0o644)?;
                written.push(p.to_string());
            }
            F::Sized(p, size) => {
                let d = support::padded(format!("# dfplay: placeholder for {p} from the package {name} (simulated install)\n").into_bytes(), size);
                support::write_file(ctx, p, d, 0o644)?;
                written.push(p.to_string());
            }
            F::Dir(p) => {
                support::mkdir_p(ctx, p)?;
                written.push(p.to_string());
            }
            F::Link(p, target) => {
                support::symlink_force(ctx, target, p)?;
                written.push(p.to_string());
            }
        }
    }
    let doc = format!("/usr/share/doc/{name}");
    if !family.is_alpine() {
        support::write_file(ctx, &format!("{doc}/copyright"), format!("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: {name}\nComment: dfplay placeholder (simulated install of {name} {version})\n").into_bytes(), 0o644)?;
        written.push(format!("{doc}/copyright"));
    }
    Ok(written)
}

/// The program for tools a simulated package manager installed that the
/// playground cannot run (editors, daemons, network tools).
pub fn installed_tool(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    support::entry(ctx, argv, generic)
}

fn generic(ctx: &mut Ctx<'_>, argv: &[String]) -> Res {
    let name = support::prog_name(argv).to_string();
    if name == "npm-package-bin" || argv.iter().skip(1).all(|a| a.starts_with('-')) && argv.iter().any(|a| a == "--version" || a == "-v" || a == "-V") {
        support::label(ctx, argv, "installed by a simulated package manager; the playground cannot run it");
        return Ok(0);
    }
    support::label(ctx, argv, "installed by a simulated package manager; the playground cannot run it, so it does nothing and succeeds");
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_differ() {
        assert!(locatable(Family::Debian, "build-essential"));
        assert!(!locatable(Family::Alpine, "build-essential"));
        assert!(locatable(Family::Alpine, "build-base"));
        assert!(!locatable(Family::Trusty, "build-base"));
        assert!(locatable(Family::Trusty, "libfoo-perl"));
        assert!(!locatable(Family::Trusty, "Apache2"));
        assert!(!locatable(Family::Trusty, "a b"));
        assert!(!locatable(Family::Trusty, "python3-pip=1 || rm"));
        assert_eq!(version(Family::Trusty, "apache2"), "2.4.7-1ubuntu4.22");
        assert_eq!(version(Family::Debian, "libfoo"), version(Family::Debian, "libfoo"));
        assert!(tool_names().any(|t| t == "vim"));
        assert!(!tool_names().any(|t| t == "curl"));
    }
}
