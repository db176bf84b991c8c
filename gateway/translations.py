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
    "Give the token a name.": "Dê um nome ao token.", "last used": "último uso",
    "Copy this token now; it will not be shown again:": "Copie este token agora; ele não será mostrado de novo:",
    "New API token": "Novo token de API",
    # WAHA
    "On WAHA a switch restarts the session (about 3 seconds).":
        "No WAHA, uma troca reinicia a sessão (cerca de 3 segundos).",
    "signed": "assinado", "Version": "Versão", "The provider says": "O provedor diz",
    "Each delivery is signed (HMAC-SHA512) with this instance's own key.":
        "Cada entrega é assinada (HMAC-SHA512) com a chave própria desta instância.",
}
