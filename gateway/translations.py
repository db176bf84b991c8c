"""Brazilian Portuguese for every page text; the English text is the key (tests check none is missing)."""

PT_BR: dict[str, str] = {
    # Accounts and errors
    "Log in": "Entrar", "First run": "Primeiro acesso",
    "Create the first administrator": "Criar o primeiro administrador",
    "No account exists yet. The first account administers this gateway and its tenant.":
        "Ainda não existe nenhuma conta. A primeira conta administra este gateway e seu tenant.",
    "Tenant (your team or company)": "Tenant (sua equipe ou empresa)",
    "Create administrator": "Criar administrador", "Wrong e-mail or password.": "E-mail ou senha incorretos.",
    "You are logged out.": "Você saiu da sua conta.", "Error {status}": "Erro {status}",
    "Back to the start page": "Voltar à página inicial",
    # Layout and navigation
    "Main": "Principal", "Instances": "Instâncias", "Events": "Eventos", "Settings": "Configurações",
    "Log out": "Sair", "Close": "Fechar", "Actions": "Ações", "Name": "Nome", "Server": "Servidor",
    "yes": "sim", "no": "não", "never": "nunca", "View": "Ver",
    # Instances
    "Create or import instances": "Criar ou importar instâncias", "Create": "Criar", "Import": "Importar",
    "Import every instance of": "Importar todas as instâncias de", "Delivery": "Entrega",
    "Choose a registered server.": "Escolha um servidor cadastrado.",
    "No provider server is registered yet.": "Nenhum servidor de provedor cadastrado ainda.",
    "Add one in Settings.": "Cadastre um em Configurações.", "No instances yet.": "Nenhuma instância ainda.",
    "Instance {name} created.": "Instância {name} criada.",
    "{count} instance(s) imported.": "{count} instância(s) importada(s).",
    "State": "Estado", "Phone / profile": "Telefone / perfil", "Last event": "Último evento",
    "Connect": "Conectar", "Connection": "Conexão", "Delete": "Excluir",
    "Delete {name} on the provider and here, with its events?":
        "Excluir {name} no provedor e aqui, com seus eventos?",
    "The provider differs from the chosen mode": "O provedor difere do modo escolhido",
    "QR code for {name}": "QR code de {name}",
    "Scan with WhatsApp to connect {name}.": "Escaneie com o WhatsApp para conectar {name}.",
    "Pairing code": "Código de pareamento",
    "open": "conectado", "connecting": "conectando", "close": "desconectado", "unknown": "desconhecido",
    "Webhook": "Webhook", "WebSocket": "WebSocket", "None": "Nenhuma",
    # Connection modal
    "Webhook and WebSocket cannot be active at the same time; enabling one disables the other.":
        "Webhook e WebSocket não podem estar ativos ao mesmo tempo; ativar um desativa o outro.",
    "Receive media as Base64": "Receber mídia em Base64", "recommended": "recomendado",
    "Webhook by events (one URL per event)": "Webhook por eventos (uma URL por evento)",
    "Select all": "Selecionar todos", "Select none": "Limpar seleção", "Applying…": "Aplicando…",
    "Current state": "Estado atual", "Webhook active": "Webhook ativo", "media as Base64": "mídia em Base64",
    "In WebSocket mode Evolution sends media without Base64.":
        "No modo WebSocket a Evolution envia mídia sem Base64.",
    "Nothing is active: messages will not be received.": "Nada está ativo: as mensagens não serão recebidas.",
    "connected": "conectado", "retrying": "reconectando", "idle": "aguardando", "stopped": "parado",
    "refused": "recusado", "not started": "não iniciado",
    "Nothing changed.": "Nada mudou.",
    "Webhook enabled. WebSocket was disabled.": "Webhook ativado. O WebSocket foi desativado.",
    "Webhook enabled.": "Webhook ativado.", "Webhook settings saved.": "Configurações do webhook salvas.",
    "WebSocket enabled. Webhook was disabled.": "WebSocket ativado. O webhook foi desativado.",
    "WebSocket enabled.": "WebSocket ativado.",
    "Webhook disabled. Messages will not be received.": "Webhook desativado. As mensagens não serão recebidas.",
    "WebSocket disabled. Messages will not be received.":
        "WebSocket desativado. As mensagens não serão recebidas.",
    "The provider refused the change: {message}": "O provedor recusou a alteração: {message}",
    "Provider error: {message}": "Erro do provedor: {message}",
    # Event monitor
    "Instance": "Instância", "All instances": "Todas as instâncias", "Event name contains": "Nome do evento contém",
    "Filter": "Filtrar", "Pause": "Pausar", "Resume": "Retomar",
    "Paused: new events are held.": "Pausado: novos eventos ficam retidos.", "Received": "Recebido",
    "Event": "Evento", "Summary": "Resumo", "Payload": "Conteúdo", "{count} events skipped": "{count} eventos pulados",
    # Settings
    "Provider servers": "Servidores de provedor", "Kind": "Tipo", "API key": "Chave de API",
    "Global events": "Eventos globais", "Global events (one socket for the whole server)":
        "Eventos globais (um socket para o servidor todo)",
    "Test connection": "Testar conexão", "No server yet.": "Nenhum servidor ainda.", "Add server": "Adicionar servidor",
    "Server {name} added.": "Servidor {name} adicionado.", "Server {name} answered.": "O servidor {name} respondeu.",
    "Users": "Usuários", "E-mail": "E-mail", "Password": "Senha", "Role": "Papel", "Add user": "Adicionar usuário",
    "User {email} added.": "Usuário {email} adicionado.",
    "admin": "administrador", "operator": "operador", "viewer": "leitor",
    "API tokens": "Tokens de API", "Token name": "Nome do token", "Create token": "Criar token",
"last used": "último uso",
    "Copy this token now; it will not be shown again:": "Copie este token agora; ele não será mostrado de novo:",
    "New API token": "Novo token de API",
    # Settings: editing and deleting servers, health, users' roles, tokens' lifetimes
    "You are signed in as {role}: you can look at these settings, but only an administrator can change servers, users and API tokens.":
        "Você entrou como {role}: pode ver estas configurações, mas só um administrador altera servidores, usuários e tokens de API.",
    "Ask {admins}.": "Peça a {admins}.", "Only an administrator can change this.": "Só um administrador pode alterar isto.",
    "You are signed in as {role}: you can watch instances and events; an operator or an administrator changes them.":
        "Você entrou como {role}: pode acompanhar instâncias e eventos; um operador ou um administrador os altera.",
    "Health": "Saúde", "checking…": "verificando…", "up": "no ar", "key refused": "chave recusada",
    "unreachable": "inacessível", "Edit": "Editar", "Save": "Salvar", "Cancel": "Cancelar",
    "New API key (empty: keep the current one)": "Nova chave de API (vazio: manter a atual)",
    "A new URL or key is checked against the server before it is saved.":
        "Uma nova URL ou chave é verificada no servidor antes de ser salva.",
    "Delete server {name}?": "Excluir o servidor {name}?", "Server {name} saved.": "Servidor {name} salvo.",
    "Server {name} deleted.": "Servidor {name} excluído.",
    "Forgetting removes the instances and their events from this gateway only; nothing is deleted on the provider.":
        "Esquecer remove as instâncias e seus eventos só deste gateway; nada é excluído no provedor.",
    "Delete the server and forget its instances here": "Excluir o servidor e esquecer suas instâncias aqui",
    "you": "você", "You cannot remove yourself; another administrator can.":
        "Você não pode remover a si mesmo; outro administrador pode.", "Role of {email}": "Papel de {email}", "Change role": "Mudar papel", "Remove": "Remover",
    "Remove {email}? Their API tokens stop working.": "Remover {email}? Os tokens de API dessa pessoa param de funcionar.",
    "{email} is now {role}.": "{email} agora é {role}.", "User {email} removed.": "Usuário {email} removido.",
    "Copy": "Copiar", "Copied": "Copiado", "Token": "Token", "User": "Usuário", "Created": "Criado",
    "Last used": "Último uso", "Expires": "Expira", "expired": "expirado", "in {days} days": "em {days} dias",
    "Revoke": "Revogar", "No token yet.": "Nenhum token ainda.", "Token {name} revoked.": "Token {name} revogado.",
    "Revoke the token {name}? Programs using it get 401 from now on.":
        "Revogar o token {name}? Programas que o usam recebem 401 a partir de agora.",
    # Instances: forget here only
    "Forget here": "Esquecer aqui",
    "For an instance whose server is gone: nothing is called on the provider.":
        "Para uma instância cujo servidor sumiu: nada é chamado no provedor.",
    "Forget {name} here only, with its events? Nothing is deleted on the provider.":
        "Esquecer {name} só aqui, com seus eventos? Nada é excluído no provedor.",
}
