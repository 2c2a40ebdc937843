// The built-in examples: the seed article's (layers and copy-on-write, containers sharing an
// image, disk usage, multi-stage builds) and a few everyday patterns. Each one is a complete
// build context: the Dockerfile, its files and the build options; `commands` are docker
// console lines worth trying after the build. Base images are ones the engine has real data for.

const HREF_COUNTER_GO = `package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"golang.org/x/net/html"
)

// Counts the links on a web page: internal ones (same host) and external ones.
func main() {
	url := os.Getenv("url")
	if url == "" {
		url = "https://example.com"
	}
	res, err := http.Get(url)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	defer res.Body.Close()
	internal, external := count(res.Body, url)
	fmt.Printf("(%s) - Internal links: %d, External links: %d\\n", url, internal, external)
}

func count(body io.Reader, base string) (internal, external int) {
	doc := html.NewTokenizer(body)
	for {
		switch doc.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken:
			for _, attr := range doc.Token().Attr {
				if attr.Key != "href" {
					continue
				}
				if strings.HasPrefix(attr.Val, "http") && !strings.HasPrefix(attr.Val, base) {
					external++
				} else {
					internal++
				}
			}
		}
	}
}
`;

const HELLO = { path: 'hello.txt', text: 'test\n' };

export const EXAMPLES = [
  {
    id: 'layers',
    title: { en: 'Layers and copy-on-write', 'zh-CN': '层与写时复制' },
    dockerfile: `FROM node:14.16.1-alpine3.13
WORKDIR /app

LABEL author="xxx"
ENV BUILD_ENV=dev

# hello.txt holds "test" (made with: echo test > hello.txt)
COPY ./hello.txt ./

RUN echo aaaaaaaaabbbbbbbbbb>>hello.txt
`,
    files: [HELLO],
    commands: ['docker history playground', 'docker image inspect playground'],
  },
  {
    id: 'layers-cat',
    title: { en: 'A RUN that writes nothing (cat)', 'zh-CN': '不写入的 RUN (cat)' },
    dockerfile: `FROM node:14.16.1-alpine3.13
WORKDIR /app

LABEL author="xxx"
ENV BUILD_ENV=dev

# hello.txt holds "test" (made with: echo test > hello.txt)
COPY ./hello.txt ./

# cat only reads: compare this layer's size with the echo >> variant
RUN cat hello.txt
`,
    files: [HELLO],
    commands: ['docker history playground'],
  },
  {
    id: 'containers',
    title: { en: 'Containers sharing one image', 'zh-CN': '共享同一镜像的容器' },
    dockerfile: `FROM ubuntu:22.04
COPY hello.txt /hello.txt
CMD ["cat", "/hello.txt"]
`,
    files: [HELLO],
    commands: [
      'docker run --name c1 playground',
      'docker run --name c2 playground sh -c "echo changed > /hello.txt"',
      'docker ps -a -s',
      'docker diff c2',
    ],
  },
  {
    id: 'disk-usage',
    title: { en: 'Disk usage of images and containers', 'zh-CN': '镜像和容器的磁盘占用' },
    dockerfile: `FROM alpine:3.13
RUN dd if=/dev/zero of=/data.bin bs=1024 count=1024
CMD ["sh"]
`,
    files: [],
    commands: [
      'docker pull node:14.16.1-alpine3.13',
      'docker run --name big playground sh -c "cp /data.bin /copy.bin"',
      'docker system df',
      'docker system df -v',
    ],
  },
  {
    id: 'before-multistage',
    title: { en: 'Before multi-stage: a build image', 'zh-CN': '多阶段构建之前: 编译镜像' },
    dockerfile: `# syntax=docker/dockerfile:1
FROM golang:1.16
WORKDIR /go/src/github.com/alexellis/href-counter/
COPY app.go ./
RUN go get -d -v golang.org/x/net/html \\
  && CGO_ENABLED=0 GOOS=linux go build -a -installsuffix cgo -o app .
`,
    files: [
      { path: 'app.go', text: HREF_COUNTER_GO },
      {
        path: 'Dockerfile.run',
        text: `# syntax=docker/dockerfile:1
FROM alpine:latest
RUN apk --no-cache add ca-certificates
WORKDIR /root/
COPY app ./
CMD ["./app"]
`,
      },
      {
        path: 'build.sh',
        text: `#!/bin/sh
echo Building alexellis2/href-counter:build
docker build -t alexellis2/href-counter:build . -f Dockerfile
docker container create --name extract alexellis2/href-counter:build
docker container cp extract:/go/src/github.com/alexellis/href-counter/app ./app
docker container rm -f extract

echo Building alexellis2/href-counter:latest
docker build --no-cache -t alexellis2/href-counter:latest . -f Dockerfile.run
rm ./app
`,
      },
    ],
    commands: ['docker images'],
  },
  {
    id: 'multistage',
    title: { en: 'Multi-stage build (COPY --from=0)', 'zh-CN': '多阶段构建 (COPY --from=0)' },
    dockerfile: `# syntax=docker/dockerfile:1
FROM golang:1.16
WORKDIR /go/src/github.com/alexellis/href-counter/
RUN go get -d -v golang.org/x/net/html
COPY app.go ./
RUN CGO_ENABLED=0 GOOS=linux go build -a -installsuffix cgo -o app .

FROM alpine:latest
RUN apk --no-cache add ca-certificates
WORKDIR /root/
# copy the program from the first stage (index 0)
COPY --from=0 /go/src/github.com/alexellis/href-counter/app ./
CMD ["./app"]
`,
    files: [{ path: 'app.go', text: HREF_COUNTER_GO }],
    commands: ['docker images', 'docker history playground'],
  },
  {
    id: 'named-stages',
    title: { en: 'Named stages (AS builder)', 'zh-CN': '命名阶段 (AS builder)' },
    dockerfile: `# syntax=docker/dockerfile:1
FROM golang:1.16 AS builder
WORKDIR /go/src/github.com/alexellis/href-counter/
RUN go get -d -v golang.org/x/net/html
COPY app.go    ./
RUN CGO_ENABLED=0 GOOS=linux go build -a -installsuffix cgo -o app .

FROM alpine:latest
RUN apk --no-cache add ca-certificates
WORKDIR /root/
COPY --from=builder /go/src/github.com/alexellis/href-counter/app ./
CMD ["./app"]
`,
    files: [{ path: 'app.go', text: HREF_COUNTER_GO }],
    commands: ['docker images'],
  },
  {
    id: 'target',
    title: { en: 'Stop at a stage (--target builder)', 'zh-CN': '构建到指定阶段 (--target builder)' },
    dockerfile: `# syntax=docker/dockerfile:1
FROM golang:1.16 AS builder
WORKDIR /go/src/github.com/alexellis/href-counter/
RUN go get -d -v golang.org/x/net/html
COPY app.go    ./
RUN CGO_ENABLED=0 GOOS=linux go build -a -installsuffix cgo -o app .

FROM alpine:latest
RUN apk --no-cache add ca-certificates
WORKDIR /root/
COPY --from=builder /go/src/github.com/alexellis/href-counter/app ./
CMD ["./app"]
`,
    files: [{ path: 'app.go', text: HREF_COUNTER_GO }],
    options: { target: 'builder' },
    commands: ['docker images'],
  },
  {
    id: 'copy-from-image',
    title: { en: 'COPY --from an image (nginx:latest)', 'zh-CN': '从镜像复制 (COPY --from=nginx:latest)' },
    dockerfile: `# syntax=docker/dockerfile:1
FROM alpine:latest
COPY --from=nginx:latest /etc/nginx/nginx.conf /nginx.conf
CMD ["cat", "/nginx.conf"]
`,
    files: [],
    commands: ['docker images'],
  },
  {
    id: 'stage-as-base',
    title: { en: 'A stage as the base of others', 'zh-CN': '以前一阶段为基础' },
    dockerfile: `# syntax=docker/dockerfile:1
FROM alpine:latest AS builder
RUN apk --no-cache add build-base

FROM builder AS build1
COPY source1.cpp source.cpp
RUN g++ -o /binary source.cpp

FROM builder AS build2
COPY source2.cpp source.cpp
RUN g++ -o /binary source.cpp
`,
    files: [
      { path: 'source1.cpp', text: '#include <cstdio>\n\nint main() {\n    std::puts("build 1");\n    return 0;\n}\n' },
      { path: 'source2.cpp', text: '#include <cstdio>\n\nint main() {\n    std::puts("build 2");\n    return 0;\n}\n' },
    ],
    commands: ['docker images'],
  },
  {
    id: 'node-cache',
    title: { en: 'Node app: cache-friendly order', 'zh-CN': 'Node 应用: 利用缓存的顺序' },
    dockerfile: `FROM node:20-alpine
WORKDIR /app
# dependencies change less often than code: copy the manifests first
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
USER node
EXPOSE 3000
CMD ["node", "server.js"]
`,
    files: [
      { path: 'package.json', text: '{\n  "name": "hello-server",\n  "version": "1.0.0",\n  "private": true,\n  "main": "server.js",\n  "dependencies": {}\n}\n' },
      { path: 'package-lock.json', text: '{\n  "name": "hello-server",\n  "version": "1.0.0",\n  "lockfileVersion": 3,\n  "requires": true,\n  "packages": {\n    "": {\n      "name": "hello-server",\n      "version": "1.0.0"\n    }\n  }\n}\n' },
      { path: 'server.js', text: "const http = require('node:http');\n\nhttp\n  .createServer((req, res) => res.end('hello\\n'))\n  .listen(3000, () => console.log('listening on 3000'));\n" },
      { path: '.dockerignore', text: 'node_modules\nnpm-debug.log\n' },
    ],
    commands: ['docker history playground'],
  },
  {
    id: 'python-slim',
    title: { en: 'Python on a slim base', 'zh-CN': '基于 slim 的 Python' },
    dockerfile: `FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /srv
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py .
CMD ["python", "app.py"]
`,
    files: [
      { path: 'requirements.txt', text: '' },
      { path: 'app.py', text: 'print("hello from python")\n' },
    ],
    commands: ['docker run --rm playground'],
  },
  {
    id: 'go-static',
    title: { en: 'Go: a static binary on scratch', 'zh-CN': 'Go: scratch 上的静态二进制' },
    dockerfile: `FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod main.go ./
RUN CGO_ENABLED=0 go build -o /out/hello .

FROM scratch
COPY --from=build /out/hello /hello
ENTRYPOINT ["/hello"]
`,
    files: [
      { path: 'go.mod', text: 'module example.com/hello\n\ngo 1.22\n' },
      { path: 'main.go', text: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello from scratch")\n}\n' },
    ],
    commands: ['docker images', 'docker run --rm playground'],
  },
  {
    id: 'apt-cleanup',
    title: { en: 'apt-get: clean up in the same RUN', 'zh-CN': 'apt-get: 在同一个 RUN 中清理' },
    dockerfile: `FROM debian:bookworm-slim
# install and clean up in one RUN: a later RUN rm -rf would not shrink the image
RUN apt-get update \\
 && apt-get install -y --no-install-recommends curl ca-certificates \\
 && rm -rf /var/lib/apt/lists/*
CMD ["curl", "--version"]
`,
    files: [],
    commands: ['docker history playground'],
  },
];

export const DEFAULT_EXAMPLE_ID = 'layers';

export function exampleDoc(id) {
  const ex = EXAMPLES.find((e) => e.id === id);
  if (!ex) return null;
  return {
    dockerfile: ex.dockerfile,
    files: ex.files.map((f) => ({ ...f })),
    options: { builder: 'buildkit', target: '', buildArgs: [], noCache: false, ...(ex.options ?? {}) },
  };
}
