# The Rasa server: the official image plus the project's few extra packages (pinned in
# requirements.txt) and its code, model and configuration. Built by deploy/docker-compose.yml;
# push it to your registry for Kubernetes (deploy/helm/values.yaml). Context: the repository root.
FROM rasa/rasa:3.6.21-full
USER root
COPY requirements.txt /tmp/requirements.txt
# python-engineio as pinned: the socket.io channel's engine.io patches refuse to install on
# another version (addons/patches.py).
RUN grep -iE '^(python-socketio|python-engineio|jsonschema|pyspellchecker|spacy)==' /tmp/requirements.txt > /tmp/extra.txt \
 && pip install --no-cache-dir -r /tmp/extra.txt && rm /tmp/requirements.txt /tmp/extra.txt
# rasa.Dockerfile.dockerignore lists what is copied (code, model, configuration; no venv, no data).
COPY --chown=1001:0 . /app
ENV PYTHONPATH=/app
USER 1001
