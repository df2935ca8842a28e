// The examples gallery's data: the examples of the books (www/examples/<name>/, byte
// copies of ../shared/examples, bundled into examples.json by the build) with their
// titles, the tag the books build them with, and the blank template.

import type { FileEntry, Workspace } from "./app";
import type { Lang } from "./i18n";

export interface ExampleFile {
  path: string;
  mode: number;
  text?: string;
  base64?: string;
}

export interface Example {
  name: string;
  files: ExampleFile[];
}

interface Meta {
  tag: string;
  title: Record<Lang, string>;
  blurb: Record<Lang, string>;
  source: string;
}

/** What the gallery says about each example (unknown names fall back to their folder name). */
export const META: Record<string, Meta> = {
  "multi-stage": {
    tag: "multi-stage",
    source: "Docker in a Month of Lunches, ch. 4",
    title: { en: "Multi-stage build", ko: "멀티 스테이지 빌드" },
    blurb: { en: "Three stages: build, test and a final image that copies the result with COPY --from.", ko: "build, test, 최종 이미지 세 단계. COPY --from으로 결과만 복사합니다." },
  },
  "image-of-the-day": {
    tag: "image-of-the-day",
    source: "Docker in a Month of Lunches, ch. 4",
    title: { en: "Java app (Maven)", ko: "자바 앱 (Maven)" },
    blurb: { en: "Builds a Spring-style app with Maven in one stage and runs the jar on a JRE image.", ko: "Maven으로 빌드하고 JRE 이미지에서 jar를 실행하는 멀티 스테이지 빌드." },
  },
  "access-log": {
    tag: "access-log",
    source: "Docker in a Month of Lunches, ch. 4",
    title: { en: "Node.js app", ko: "Node.js 앱" },
    blurb: { en: "npm install in a builder stage, then only the app and node_modules in the final image.", ko: "빌더 단계에서 npm install, 최종 이미지에는 앱과 node_modules만." },
  },
  "image-gallery": {
    tag: "image-gallery",
    source: "Docker in a Month of Lunches, ch. 4",
    title: { en: "Go web app", ko: "Go 웹 앱" },
    blurb: { en: "Compiles a Go binary and ships it with its HTML on a small base image.", ko: "Go 바이너리를 컴파일해 HTML과 함께 작은 베이스 이미지에 담습니다." },
  },
  "go-exercise-as-is": {
    tag: "ch04-lab",
    source: "Docker in a Month of Lunches, ch. 4 lab",
    title: { en: "Lab: before optimising", ko: "실습: 최적화 전" },
    blurb: { en: "The chapter's lab as given: every edit of index.html rebuilds the Go code.", ko: "실습 원본: index.html만 바꿔도 Go 코드를 다시 빌드합니다." },
  },
  "go-exercise-to-be": {
    tag: "ch04-lab",
    source: "Docker in a Month of Lunches, ch. 4 lab",
    title: { en: "Lab: optimised", ko: "실습: 최적화 후" },
    blurb: { en: "Reordered so the builder steps stay CACHED when only index.html changes.", ko: "index.html만 바뀌면 빌더 단계가 CACHED로 남도록 순서를 바꿨습니다." },
  },
  "go-helloworld-single": {
    tag: "go_helloworld",
    source: "시작하세요! 도커 2.4",
    title: { en: "Go hello world: one stage", ko: "Go 헬로 월드: 단일 스테이지" },
    blurb: { en: "The whole Go toolchain ends up in the image.", ko: "Go 툴체인 전체가 이미지에 남습니다." },
  },
  "go-helloworld-multi": {
    tag: "go_helloworld:multi-stage",
    source: "시작하세요! 도커 2.4",
    title: { en: "Go hello world: multi-stage", ko: "Go 헬로 월드: 멀티 스테이지" },
    blurb: { en: "Only the binary is copied into the final image.", ko: "최종 이미지에는 바이너리만 복사됩니다." },
  },
  "go-helloworld-builder": {
    tag: "go_helloworld:builder",
    source: "시작하세요! 도커 2.4",
    title: { en: "Go hello world: named builder", ko: "Go 헬로 월드: 이름 붙인 빌더" },
    blurb: { en: "FROM … AS builder and COPY --from=builder.", ko: "FROM … AS builder 와 COPY --from=builder." },
  },
  "apache-web": {
    tag: "mybuild:0.0",
    source: "시작하세요! 도커 2.4",
    title: { en: "Apache web server", ko: "아파치 웹 서버" },
    blurb: { en: "ubuntu:14.04, apt-get install apache2, ADD, WORKDIR, EXPOSE, CMD.", ko: "ubuntu:14.04, apt-get install apache2, ADD, WORKDIR, EXPOSE, CMD." },
  },
  dockerignore: {
    tag: "dockerignore-demo",
    source: "시작하세요! 도커 2.4",
    title: { en: ".dockerignore", ko: ".dockerignore" },
    blurb: { en: "Which files a .dockerignore keeps out of the build context.", ko: ".dockerignore가 빌드 컨텍스트에서 빼는 파일들." },
  },
};

export const BLANK_DOCKERFILE = "# syntax=docker/dockerfile:1\nFROM alpine\n\nWORKDIR /app\nCOPY . .\n\nCMD [\"echo\", \"hello from dfplay\"]\n";

let cache: Promise<Example[]> | null = null;

/** The bundled examples (fetched once, relative to the page). */
export function loadExamples(): Promise<Example[]> {
  cache ??= fetch(new URL("examples.json", document.baseURI)).then((r) => {
    if (!r.ok) throw new Error(`examples.json: HTTP ${r.status}`);
    return r.json() as Promise<Example[]>;
  });
  cache.catch(() => (cache = null));
  return cache;
}

function bytesOf(f: ExampleFile): Uint8Array {
  if (f.text !== undefined) return new TextEncoder().encode(f.text);
  const bin = atob(f.base64 ?? "");
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export function workspaceOf(ex: Example): Workspace {
  const files = new Map<string, FileEntry>();
  // Examples carry no time: their builds give the same image IDs everywhere.
  for (const f of ex.files) files.set(f.path, { kind: "file", mode: f.mode, data: bytesOf(f), target: "", mtime: 0 });
  return { files, dockerfile: "Dockerfile", open: "Dockerfile", tag: META[ex.name]?.tag ?? ex.name, target: "", buildArgs: [], noCache: false, example: ex.name, dirty: false };
}

export function blankWorkspace(): Workspace {
  const files = new Map<string, FileEntry>([["Dockerfile", { kind: "file", mode: 0o644, data: new TextEncoder().encode(BLANK_DOCKERFILE), target: "", mtime: 0 }]]);
  return { files, dockerfile: "Dockerfile", open: "Dockerfile", tag: "my-image", target: "", buildArgs: [], noCache: false, example: "blank", dirty: false };
}
